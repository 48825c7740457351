// Answer widgets, one per question type. Each is a labelled fieldset; number keys are shown
// beside the options they choose.
import type { ComponentChildren } from 'preact';
import { t } from '../i18n';
import type {
  FreeTextQuestion,
  MultipleChoiceQuestion,
  PairwiseQuestion,
  PairwiseValue,
  Question,
  RatingQuestion,
  SingleChoiceQuestion,
} from '../types';
import { isRequired, maxSelected, minSelected, type DraftValue, type ValidationError } from './answers';

export interface WidgetProps<Q extends Question> {
  question: Q;
  value: DraftValue;
  onChange: (value: DraftValue) => void;
  error?: ValidationError | null;
  /** Number keys currently act on this question. */
  keyTarget?: boolean;
}

/** Whether a prompt already says it is optional, so the marker is not shown twice. */
const mentionsOptional = (prompt: string) => prompt.toLowerCase().includes(t('task.optional').replace(/[()]/g, '').toLowerCase());

const domId = (q: Question, part = '') => `q-${q.id}${part ? '-' + part : ''}`;

function Frame({ q, error, keyTarget, hint, children }: { q: Question; error?: ValidationError | null; keyTarget?: boolean; hint?: string; children: ComponentChildren }) {
  return (
    <fieldset
      class={`question${keyTarget ? ' key-target' : ''}${error ? ' invalid' : ''}`}
      id={domId(q)}
      data-question={q.id}
      aria-describedby={[hint ? domId(q, 'hint') : '', error ? domId(q, 'error') : ''].filter(Boolean).join(' ') || undefined}
      aria-invalid={error ? 'true' : undefined}
    >
      <legend>
        {q.prompt}
        {!isRequired(q) && !mentionsOptional(q.prompt) && <span class="muted"> {t('task.optional')}</span>}
      </legend>
      {hint && (
        <p class="hint" id={domId(q, 'hint')}>
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p class="error" id={domId(q, 'error')} role="alert">
          {t(error.key, error.params)}
        </p>
      )}
    </fieldset>
  );
}

function Key({ k, show }: { k: string | number; show: boolean }) {
  return show ? (
    <kbd class="key" aria-hidden="true">
      {k}
    </kbd>
  ) : null;
}

export function SingleChoice({ question: q, value, onChange, error, keyTarget }: WidgetProps<SingleChoiceQuestion>) {
  return (
    <Frame q={q} error={error} keyTarget={keyTarget}>
      <div class="options">
        {q.options.map((o, i) => (
          <label class="option" key={o.value}>
            <input type="radio" name={domId(q)} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
            <Key k={i + 1} show={i < 9} />
            <span>{o.label ?? o.value}</span>
          </label>
        ))}
      </div>
    </Frame>
  );
}

export function MultipleChoice({ question: q, value, onChange, error, keyTarget }: WidgetProps<MultipleChoiceQuestion>) {
  const list = Array.isArray(value) ? value : [];
  const min = minSelected(q);
  const max = maxSelected(q);
  const hint = max < q.options.length || min > 1 ? t('task.chooseBetween', { min, max }) : t('task.chooseAny');
  return (
    <Frame q={q} error={error} keyTarget={keyTarget} hint={hint}>
      <div class="options">
        {q.options.map((o, i) => (
          <label class="option" key={o.value}>
            <input
              type="checkbox"
              value={o.value}
              checked={list.includes(o.value)}
              onChange={(e) => {
                const on = (e.currentTarget as HTMLInputElement).checked;
                onChange(on ? [...list.filter((x) => x !== o.value), o.value] : list.filter((x) => x !== o.value));
              }}
            />
            <Key k={i + 1} show={i < 9} />
            <span>{o.label ?? o.value}</span>
          </label>
        ))}
      </div>
    </Frame>
  );
}

export function Rating({ question: q, value, onChange, error, keyTarget }: WidgetProps<RatingQuestion>) {
  const points = Array.from({ length: q.scale }, (_, i) => i + 1);
  return (
    <Frame q={q} error={error} keyTarget={keyTarget}>
      <div class="rating">
        {q.lowLabel && <span class="rating-end muted">{q.lowLabel}</span>}
        <div class="rating-points">
          {points.map((n) => (
            <label class="rating-point" key={n}>
              <input
                type="radio"
                name={domId(q)}
                value={String(n)}
                checked={value === n}
                onChange={() => onChange(n)}
                aria-label={n === 1 && q.lowLabel ? `${n} (${q.lowLabel})` : n === q.scale && q.highLabel ? `${n} (${q.highLabel})` : String(n)}
              />
              <span aria-hidden="true">{n}</span>
            </label>
          ))}
        </div>
        {q.highLabel && <span class="rating-end muted">{q.highLabel}</span>}
      </div>
    </Frame>
  );
}

export function Counter({ id, length, min, max }: { id: string; length: number; min?: number; max?: number }) {
  const over = max !== undefined && length > max;
  const under = min !== undefined && min > 0 && length < min;
  return (
    <p class={`counter${over || under ? ' bad' : ''}`} id={id} aria-live="polite">
      {max !== undefined ? t('task.charsOfMax', { n: length, max }) : t('task.chars', { n: length })}
      {min !== undefined && min > 0 && ` · ${t('task.minChars', { min })}`}
    </p>
  );
}

const strengths = [1, 2, 3] as const;

export function Pairwise({ question: q, value, onChange, error, keyTarget }: WidgetProps<PairwiseQuestion>) {
  const p = (value as Partial<PairwiseValue> | null | undefined) ?? {};
  const set = (patch: Partial<PairwiseValue>) => {
    const next = { ...p, ...patch };
    if (next.choice === 'tie') delete next.strength;
    onChange(next);
  };
  const choices: { v: PairwiseValue['choice']; key: string; label: string }[] = [
    { v: 'A', key: 'A', label: t('task.pairA') },
    { v: 'B', key: 'B', label: t('task.pairB') },
    { v: 'tie', key: 'T', label: t('task.pairTie') },
  ];
  const rationale = p.rationale ?? '';
  return (
    <Frame q={q} error={error} keyTarget={keyTarget}>
      <div class="options pairwise">
        {choices.map((c) => (
          <label class="option" key={c.v}>
            <input type="radio" name={domId(q)} value={c.v} checked={p.choice === c.v} onChange={() => set({ choice: c.v })} />
            <Key k={c.key} show />
            <span>{c.label}</span>
          </label>
        ))}
      </div>
      {q.strength && p.choice && p.choice !== 'tie' && (
        <div class="strength" role="radiogroup" aria-label={t('task.strength')}>
          <span class="muted">{t('task.strength')}</span>
          {strengths.map((s) => (
            <label class="option" key={s}>
              <input type="radio" name={domId(q, 'strength')} value={String(s)} checked={p.strength === s} onChange={() => set({ strength: s })} />
              <Key k={s} show />
              <span>{t(`task.strength${s}`)}</span>
            </label>
          ))}
        </div>
      )}
      {q.rationale !== undefined && (
        <div class="rationale">
          <label for={domId(q, 'rationale')}>
            {t('task.rationale')}
            {!q.rationale?.required && <span class="muted"> {t('task.optional')}</span>}
          </label>
          <textarea
            id={domId(q, 'rationale')}
            rows={3}
            value={rationale}
            maxLength={q.rationale?.maxLength}
            aria-describedby={domId(q, 'rationale-count')}
            onInput={(e) => set({ rationale: (e.currentTarget as HTMLTextAreaElement).value })}
          />
          <Counter id={domId(q, 'rationale-count')} length={rationale.length} min={q.rationale?.minLength} max={q.rationale?.maxLength} />
        </div>
      )}
    </Frame>
  );
}

export function FreeText({ question: q, value, onChange, error }: WidgetProps<FreeTextQuestion>) {
  const text = typeof value === 'string' ? value : '';
  return (
    <Frame q={q} error={error}>
      <textarea
        id={domId(q, 'text')}
        aria-label={q.prompt}
        rows={4}
        value={text}
        aria-describedby={domId(q, 'count')}
        onInput={(e) => onChange((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <Counter id={domId(q, 'count')} length={text.length} min={q.minLength} max={q.maxLength} />
    </Frame>
  );
}

export function QuestionWidget(props: WidgetProps<Question>) {
  const q = props.question;
  switch (q.type) {
    case 'single_choice':
      return <SingleChoice {...props} question={q} />;
    case 'multiple_choice':
      return <MultipleChoice {...props} question={q} />;
    case 'rating':
      return <Rating {...props} question={q} />;
    case 'pairwise':
      return <Pairwise {...props} question={q} />;
    case 'free_text':
      return <FreeText {...props} question={q} />;
    default:
      return <p class="error">{t('task.unsupportedQuestion', { type: (q as { type: string }).type })}</p>;
  }
}
