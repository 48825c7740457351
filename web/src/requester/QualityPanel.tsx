// Quality for the requester: agreement per question and each tasker's estimated accuracy.
// Plain CSS bars (./quality.css, loaded with the project page only); no chart library.
import { useState } from 'preact/hooks';
import { hasKey, locale, t } from '../i18n';
import { num } from '../format';
import type { ProjectQuality, QuestionQuality, TaskerQuality } from '../types';
import './quality.css';

/** A readable name for an aggregation method; an unknown one shows as itself. */
export function methodName(method: string | null | undefined): string {
  const key = `aggregation.${method || 'auto'}`;
  return hasKey(key) ? t(key) : String(method);
}

export function percent(share: number): string {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

function decimal(n: number): string {
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

export type AlphaLevel = 'good' | 'tentative' | 'low';

/** Krippendorff's usual thresholds: ≥ 0.8 reliable, 0.667–0.8 tentative, below that low. */
export function alphaLevel(alpha: number): AlphaLevel {
  return alpha >= 0.8 ? 'good' : alpha >= 0.667 ? 'tentative' : 'low';
}

const alphaHint: Record<AlphaLevel, 'quality.alphaGood' | 'quality.alphaTentative' | 'quality.alphaLow'> = {
  good: 'quality.alphaGood',
  tentative: 'quality.alphaTentative',
  low: 'quality.alphaLow',
};

export type SortKey = 'name' | 'country' | 'answers' | 'estimatedAccuracy' | 'goldAccuracy';
export interface Sort {
  key: SortKey;
  desc: boolean;
}

function countryName(code: string | null): string {
  if (!code) return '';
  try {
    return new Intl.DisplayNames([locale()], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Sorted copy; empty values (no country, no estimate) always go last. */
export function sortTaskers(taskers: TaskerQuality[], sort: Sort): TaskerQuality[] {
  const value = (x: TaskerQuality): string | number | null =>
    sort.key === 'name' ? x.name : sort.key === 'country' ? countryName(x.country) || null : x[sort.key];
  const collator = new Intl.Collator(locale());
  return [...taskers].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : collator.compare(String(va), String(vb));
    return sort.desc ? -c : c;
  });
}

export function QualityPanel({ quality, prompts = {} }: { quality: ProjectQuality | null; prompts?: Record<string, string> }) {
  const empty = quality !== null && quality.questions.every((q) => q.answers === 0) && quality.taskers.length === 0;
  return (
    <section class="card quality" aria-labelledby="quality-title" data-testid="quality-panel">
      <h2 id="quality-title">{t('quality.title')}</h2>
      {quality === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : empty ? (
        <p class="muted" data-testid="quality-empty">
          {t('quality.empty')}
        </p>
      ) : (
        <>
          {quality.questions.length > 0 ? (
            <QuestionTable questions={quality.questions} prompts={prompts} />
          ) : (
            <p class="muted">{t('quality.noCategorical')}</p>
          )}
          {quality.taskers.length > 0 && <TaskerTable taskers={quality.taskers} />}
        </>
      )}
    </section>
  );
}

function QuestionTable({ questions, prompts }: { questions: QuestionQuality[]; prompts: Record<string, string> }) {
  return (
    <div class="table-wrap">
      <table class="quality-questions" data-testid="quality-questions">
        <caption>{t('quality.questions')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('quality.question')}</th>
            <th scope="col">{t('quality.method')}</th>
            <th scope="col" class="num">{t('quality.items')}</th>
            <th scope="col" class="num">{t('quality.answers')}</th>
            <th scope="col">{t('quality.alpha')}</th>
            <th scope="col" class="num">{t('quality.agreement')}</th>
            <th scope="col">{t('quality.gold')}</th>
          </tr>
        </thead>
        <tbody>
          {questions.map((q) => (
            <tr key={q.question} data-question={q.question}>
              <th scope="row" data-label={t('quality.question')}>
                {prompts[q.question] ?? q.question}
                {prompts[q.question] && prompts[q.question] !== q.question && (
                  <>
                    {' '}
                    <code class="muted">{q.question}</code>
                  </>
                )}
              </th>
              <td data-label={t('quality.method')}>{methodName(q.method)}</td>
              <td class="num" data-label={t('quality.items')}>
                {num(q.items)}
              </td>
              <td class="num" data-label={t('quality.answers')}>
                {num(q.answers)}
              </td>
              <td data-label={t('quality.alpha')} data-testid="alpha">
                <span>
                {q.krippendorffAlpha === null ? (
                  <>
                    — <span class="hint">{t('quality.notYet')}</span>
                  </>
                ) : (
                  <>
                    <span class={`alpha alpha-${alphaLevel(q.krippendorffAlpha)}`}>{decimal(q.krippendorffAlpha)}</span>{' '}
                    <span class="hint">{t(alphaHint[alphaLevel(q.krippendorffAlpha)])}</span>
                  </>
                )}
                </span>
              </td>
              <td class="num" data-label={t('quality.agreement')}>
                {q.percentAgreement === null ? '—' : percent(q.percentAgreement)}
              </td>
              <td data-label={t('quality.gold')} data-testid="gold">
                {q.goldAccuracy === null || q.goldAnswered === 0 ? (
                  <span class="muted">{t('quality.noGold')}</span>
                ) : (
                  t('quality.goldOf', { pct: percent(q.goldAccuracy), n: num(q.goldAnswered) })
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const columns: { key: SortKey; label: 'quality.name' | 'quality.country' | 'quality.answers' | 'quality.estimated' | 'quality.gold'; numeric: boolean }[] = [
  { key: 'name', label: 'quality.name', numeric: false },
  { key: 'country', label: 'quality.country', numeric: false },
  { key: 'answers', label: 'quality.answers', numeric: true },
  { key: 'estimatedAccuracy', label: 'quality.estimated', numeric: true },
  { key: 'goldAccuracy', label: 'quality.gold', numeric: true },
];

function TaskerTable({ taskers }: { taskers: TaskerQuality[] }) {
  const [sort, setSort] = useState<Sort>({ key: 'answers', desc: true });
  const rows = sortTaskers(taskers, sort);
  // A new column starts with its most useful order: names A–Z, figures highest first.
  const sortBy = (key: SortKey, numeric: boolean) => setSort(sort.key === key ? { key, desc: !sort.desc } : { key, desc: numeric });
  return (
    <div class="table-wrap">
      <table class="quality-taskers" data-testid="quality-taskers">
        <caption>{t('quality.taskers')}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                scope="col"
                key={c.key}
                class={c.numeric && c.key === 'answers' ? 'num' : undefined}
                aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}
              >
                <button type="button" class="sort" data-sort={c.key} onClick={() => sortBy(c.key, c.numeric)} title={t('quality.sortBy', { column: t(c.label) })}>
                  {t(c.label)}
                  <span class="sort-mark" aria-hidden="true">
                    {sort.key === c.key ? (sort.desc ? ' ▼' : ' ▲') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={String(r.taskerId)} data-tasker={String(r.taskerId)}>
              <th scope="row">{r.name}</th>
              <td data-label={t('quality.country')}>{countryName(r.country) || <span class="muted">—</span>}</td>
              <td class="num" data-label={t('quality.answers')}>
                {num(r.answers)}
              </td>
              <td data-label={t('quality.estimated')} data-testid="estimated">
                {r.estimatedAccuracy === null ? (
                  <span class="muted">—</span>
                ) : (
                  <span class="acc">
                    <span class="acc-bar" aria-hidden="true">
                      <span style={{ width: `${Math.round(Math.min(1, Math.max(0, r.estimatedAccuracy)) * 100)}%` }} />
                    </span>
                    <span class="acc-value">{percent(r.estimatedAccuracy)}</span>
                  </span>
                )}
              </td>
              <td data-label={t('quality.gold')} data-testid="tasker-gold">
                {r.goldAccuracy === null || r.goldAnswered === 0 ? (
                  <span class="muted">—</span>
                ) : (
                  t('quality.goldOf', { pct: percent(r.goldAccuracy), n: num(r.goldAnswered) })
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
