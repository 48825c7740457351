// The requester's projects, one row each.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { ProblemView } from '../components/ProblemView';
import { useAction } from '../components/useAction';
import { duration, hourly, money, num } from '../format';
import { t } from '../i18n';
import { Link } from '../router';
import type { ProjectSummary } from '../types';
import { StatusBadge } from './StatusBadge';

export default function Projects() {
  const [projects, setProjects] = useState<ProjectSummary[] | null>(null);
  const { problem, fail } = useAction();
  useEffect(() => {
    get<ProjectSummary[]>('/api/projects').then(setProjects, fail);
  }, []);

  return (
    <div>
      <div class="title-row">
        <h1>{t('projects.title')}</h1>
        <Link href="/projects/new" class="button primary">
          {t('projects.new')}
        </Link>
      </div>
      {problem && <ProblemView problem={problem} />}
      {projects === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : projects.length === 0 ? (
        <p class="muted">{t('projects.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('projects.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('projects.name')}</th>
                <th scope="col">{t('projects.status')}</th>
                <th scope="col" class="num">{t('projects.items')}</th>
                <th scope="col" class="num">{t('projects.completed')}</th>
                <th scope="col" class="num">{t('projects.answers')}</th>
                <th scope="col" class="num">{t('projects.overlap')}</th>
                <th scope="col" class="num">{t('projects.pay')}</th>
                <th scope="col" class="num">{t('projects.time')}</th>
                <th scope="col" class="num">{t('projects.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {projects.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link href={`/projects/${encodeURIComponent(String(p.id))}`}>{p.name}</Link>
                  </th>
                  <td>
                    <StatusBadge status={p.status} />
                  </td>
                  <td class="num">{num(p.items)}</td>
                  <td class="num">{num(p.completedItems)}</td>
                  <td class="num">{num(p.answers)}</td>
                  <td class="num">{p.overlap}</td>
                  <td class="num">{money(p.payPerTask, p.currency)}</td>
                  <td class="num">{duration(p.estimatedSeconds)}</td>
                  <td class="num">{hourly(p.hourlyRate, p.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
