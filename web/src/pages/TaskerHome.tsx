// The tasker's home: open projects with pay, time and warnings shown before starting, and earnings.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { ProblemView } from '../components/ProblemView';
import { useAction } from '../components/useAction';
import { duration, hourly, money, num } from '../format';
import { t } from '../i18n';
import { Link } from '../router';
import type { Earning, WorkProject } from '../types';

export default function TaskerHome() {
  const [projects, setProjects] = useState<WorkProject[] | null>(null);
  const [earnings, setEarnings] = useState<Earning[] | null>(null);
  const { problem, fail } = useAction();

  useEffect(() => {
    get<WorkProject[]>('/api/work/projects').then(setProjects, fail);
    get<Earning[]>('/api/work/earnings').then(setEarnings, fail);
  }, []);

  return (
    <div>
      <h1>{t('home.title')}</h1>
      {problem && <ProblemView problem={problem} />}
      <section aria-labelledby="earnings-title" class="earnings card">
        <h2 id="earnings-title">{t('home.earnings')}</h2>
        {earnings === null ? (
          <p class="muted">{t('common.loading')}</p>
        ) : earnings.length === 0 ? (
          <p class="muted">{t('home.noEarnings')}</p>
        ) : (
          <ul class="earning-list">
            {earnings.map((e) => (
              <li key={e.currency}>
                <strong>{money(e.amount, e.currency)}</strong> <span class="muted">{t('home.pendingFor', { n: e.tasks })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="projects-title">
        <h2 id="projects-title">{t('home.projects')}</h2>
        {projects === null ? (
          <p class="muted">{t('common.loading')}</p>
        ) : projects.length === 0 ? (
          <p class="muted">{t('home.noProjects')}</p>
        ) : (
          <ul class="project-cards">
            {projects.map((p) => (
              <li key={p.id} class="card project-card">
                <h3>{p.name}</h3>
                {p.description && <p class="description">{p.description}</p>}
                <dl class="facts">
                  <div>
                    <dt>{t('home.pay')}</dt>
                    <dd>{money(p.payPerTask, p.currency)}</dd>
                  </div>
                  <div>
                    <dt>{t('home.time')}</dt>
                    <dd>{duration(p.estimatedSeconds)}</dd>
                  </div>
                  <div>
                    <dt>{t('home.rate')}</dt>
                    <dd>{hourly(p.hourlyRate, p.currency)}</dd>
                  </div>
                  <div>
                    <dt>{t('home.available')}</dt>
                    <dd>{num(p.tasksAvailable)}</dd>
                  </div>
                </dl>
                {p.contentWarnings.length > 0 ? (
                  <p class="warnings">
                    <strong>{t('home.warnings')}</strong>{' '}
                    {p.contentWarnings.map((w) => (
                      <span class="badge warn" key={w}>
                        {w}
                      </span>
                    ))}
                  </p>
                ) : (
                  <p class="muted small">{t('home.noWarnings')}</p>
                )}
                <Link href={`/work/projects/${encodeURIComponent(String(p.id))}`} class="button primary" aria-label={t('home.startNamed', { name: p.name })}>
                  {p.tasksAvailable > 0 ? t('home.start') : t('home.open')}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
