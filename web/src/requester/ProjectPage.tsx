// One project for its requester: progress, import, items with provenance, publish/pause, export.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api';
import { ProblemView } from '../components/ProblemView';
import { useAction } from '../components/useAction';
import { duration, hourly, money, num } from '../format';
import { t } from '../i18n';
import { Link } from '../router';
import type { ItemPage, ItemRow, Progress, Project, ProjectQuality, Template } from '../types';
import { asText } from '../task/fields';
import { AudiencePanel } from './AudiencePanel';
import { AnswersChart } from './Chart';
import { ImportPanel } from './ImportPanel';
import { methodName, QualityPanel } from './QualityPanel';
import { StatusBadge } from './StatusBadge';

const pageSize = 25;

export default function ProjectPage({ projectId }: { projectId: string }) {
  const base = `/api/projects/${encodeURIComponent(projectId)}`;
  const [project, setProject] = useState<Project | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [quality, setQuality] = useState<ProjectQuality | null>(null);
  const [items, setItems] = useState<ItemPage | null>(null);
  const [offset, setOffset] = useState(0);
  const [version, setVersion] = useState(0);
  const { problem, setProblem, fail, run } = useAction();

  useEffect(() => {
    get<Project>(base).then(setProject, fail);
  }, [projectId]);

  useEffect(() => {
    // Quality is refreshed with progress: both change as answers arrive.
    const load = () =>
      Promise.all([get<Progress>(`${base}/progress`).then(setProgress, fail), get<ProjectQuality>(`${base}/quality`).then(setQuality, fail)]);
    void load();
    const timer = setInterval(load, 15_000);
    return () => clearInterval(timer);
  }, [projectId, version]);

  useEffect(() => {
    get<ItemPage>(`${base}/items?offset=${offset}&limit=${pageSize}`).then(setItems, fail);
  }, [projectId, offset, version]);

  const act = (action: 'publish' | 'pause') => run(async () => setProject(await post<Project>(`${base}/${action}`)));

  if (!project) return problem ? <ProblemView problem={problem} /> : <p class="muted">{t('common.loading')}</p>;
  const method = methodName(project.aggregation);

  return (
    <div class="project-page">
      <div class="title-row">
        <h1>
          {project.name} <StatusBadge status={project.status} />
        </h1>
        <div class="actions">
          {project.status !== 'published' ? (
            <button type="button" class="primary" onClick={() => act('publish')}>
              {t('project.publish')}
            </button>
          ) : (
            <button type="button" class="secondary" onClick={() => act('pause')}>
              {t('project.pause')}
            </button>
          )}
          <Link href={`/projects/${encodeURIComponent(String(project.id))}/edit`} class="button secondary">
            {t('project.edit')}
          </Link>
        </div>
      </div>
      {project.description && <p class="description">{project.description}</p>}
      <p class="muted">
        {t('project.terms', {
          pay: money(project.payPerTask, project.currency),
          time: duration(project.estimatedSeconds),
          rate: hourly(project.hourlyRate, project.currency),
          overlap: project.overlap,
        })}
        <br />
        <span data-testid="aggregation">{t('aggregation.current', { method })}</span>
      </p>
      {problem && <ProblemView problem={problem} onDismiss={() => setProblem(null)} />}

      <section class="card" aria-labelledby="progress-title">
        <h2 id="progress-title">{t('progress.title')}</h2>
        {progress ? (
          <>
            <dl class="stats">
              <Stat label={t('progress.items')} value={progress.items} />
              <Stat label={t('progress.completed')} value={progress.completedItems} />
              <Stat label={t('progress.answers')} value={progress.answers} />
              <Stat label={t('progress.activeTaskers')} value={progress.activeTaskers} />
              <Stat label={t('progress.leased')} value={progress.leasedTasks} />
            </dl>
            {progress.items > 0 && (
              <progress class="wide" max={progress.items} value={progress.completedItems} aria-label={t('progress.completedShare')} />
            )}
            <AnswersChart points={progress.answersPerHour ?? []} />
          </>
        ) : (
          <p class="muted">{t('common.loading')}</p>
        )}
      </section>

      <QualityPanel quality={quality} prompts={prompts(project.template)} />

      <ImportPanel projectId={String(project.id)} onFinished={() => setVersion((v) => v + 1)} />

      <AudiencePanel projectId={String(project.id)} />

      <section class="card" aria-labelledby="export-title">
        <h2 id="export-title">{t('export.title')}</h2>
        <p class="muted">{t('export.body', { method })}</p>
        <div class="actions">
          <a class="button secondary" href={`${base}/export?format=jsonl`} download data-testid="export-jsonl">
            {t('export.jsonl')}
          </a>
          <a class="button secondary" href={`${base}/export?format=csv`} download data-testid="export-csv">
            {t('export.csv')}
          </a>
        </div>
      </section>

      <section class="card" aria-labelledby="items-title">
        <h2 id="items-title">{t('items.title', { n: items ? num(items.total) : '…' })}</h2>
        {items && items.items.length > 0 ? (
          <>
            <div class="table-wrap">
              <table class="items-table" data-testid="items-table">
                <thead>
                  <tr>
                    <th scope="col">{t('items.externalId')}</th>
                    <th scope="col">{t('items.data')}</th>
                    <th scope="col">{t('items.source')}</th>
                    <th scope="col">{t('items.licence')}</th>
                    <th scope="col">{t('items.consent')}</th>
                    <th scope="col">{t('items.flags')}</th>
                    <th scope="col" class="num">{t('items.answers')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.items.map((it) => (
                    <ItemRowView key={String(it.id)} item={it} />
                  ))}
                </tbody>
              </table>
            </div>
            <nav class="pager" aria-label={t('items.pages')}>
              <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>
                {t('items.previous')}
              </button>
              <span class="muted">
                {t('items.range', { from: num(offset + 1), to: num(Math.min(offset + pageSize, items.total)), total: num(items.total) })}
              </span>
              <button type="button" class="secondary" disabled={offset + pageSize >= items.total} onClick={() => setOffset(offset + pageSize)}>
                {t('items.next')}
              </button>
            </nav>
          </>
        ) : (
          <p class="muted">{items ? t('items.none') : t('common.loading')}</p>
        )}
      </section>
    </div>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div class="stat">
      <dt>{label}</dt>
      <dd>{num(value)}</dd>
    </div>
  );
}

function prompts(template: unknown): Record<string, string> {
  const questions = (template as Partial<Template> | null)?.questions;
  return Object.fromEntries((Array.isArray(questions) ? questions : []).map((q) => [q.id, q.prompt || q.id]));
}

function preview(data: Record<string, unknown>): string {
  const text = Object.entries(data ?? {})
    .map(([k, v]) => `${k}: ${asText(v)}`)
    .join(' · ');
  return text.length > 160 ? text.slice(0, 157) + '…' : text;
}

function ItemRowView({ item }: { item: ItemRow }) {
  const p = item.provenance ?? {};
  const flags = [p.personalData ? t('items.personalData') : '', p.minors ? t('items.minors') : '', ...(p.sensitivity ?? [])].filter(Boolean);
  const answers = Array.isArray(item.answers) ? item.answers.length : item.answers ?? 0;
  return (
    <tr>
      <td>
        <code>{item.externalId}</code>
      </td>
      <td class="data-preview">{preview(item.data)}</td>
      <td>{p.source ?? ''}</td>
      <td>{p.licence ?? ''}</td>
      <td>{p.consentBasis ? t(`consent.${p.consentBasis}`) : ''}</td>
      <td>
        {flags.length ? (
          flags.map((f) => (
            <span class="badge warn" key={f}>
              {f}
            </span>
          ))
        ) : (
          <span class="muted">{t('items.noFlags')}</span>
        )}
      </td>
      <td class="num">{num(answers)}</td>
    </tr>
  );
}
