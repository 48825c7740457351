// Answer values per question type (docs/api.md "An answer is an object keyed by question id"),
// their validation against the template, and the keyboard's effect on them.
import type { Answer, AnswerValue, PairwiseValue, Question, Template } from '../types';
import type { MessageKey } from '../i18n';

/** What the UI holds while the tasker is answering; pairwise may be partly filled. */
export type DraftValue = string | string[] | number | Partial<PairwiseValue> | null | undefined;
export type DraftValues = Record<string, DraftValue>;

export interface ValidationError {
  key: MessageKey;
  params?: Record<string, string | number>;
}

export const isRequired = (q: Question) => q.required !== false;

export function minSelected(q: Question & { type: 'multiple_choice' }): number {
  return q.minSelected ?? (isRequired(q) ? 1 : 0);
}

export function maxSelected(q: Question & { type: 'multiple_choice' }): number {
  return q.maxSelected ?? q.options.length;
}

/** True when the tasker has given this question some answer (not necessarily a valid one). */
export function isAnswered(q: Question, v: DraftValue): boolean {
  switch (q.type) {
    case 'single_choice':
      return typeof v === 'string' && v !== '';
    case 'multiple_choice':
      return Array.isArray(v) && v.length > 0;
    case 'rating':
      return typeof v === 'number';
    case 'pairwise': {
      const p = v as Partial<PairwiseValue> | null | undefined;
      return !!p?.choice && (!q.strength || p.choice === 'tie' || typeof p.strength === 'number');
    }
    case 'free_text':
      return typeof v === 'string' && v.trim() !== '';
  }
}

function lengthError(text: string, min: number | undefined, max: number | undefined): ValidationError | null {
  if (min !== undefined && text.length < min) return { key: 'validation.tooShort', params: { min } };
  if (max !== undefined && text.length > max) return { key: 'validation.tooLong', params: { max } };
  return null;
}

/** Validates one question's value; null when acceptable. */
export function validateQuestion(q: Question, v: DraftValue): ValidationError | null {
  switch (q.type) {
    case 'single_choice':
      if (v === undefined || v === null || v === '') return isRequired(q) ? { key: 'validation.required' } : null;
      return q.options.some((o) => o.value === v) ? null : { key: 'validation.invalidOption' };
    case 'multiple_choice': {
      const list = Array.isArray(v) ? v : [];
      if (list.length === 0 && !isRequired(q)) return null;
      if (list.some((x) => !q.options.some((o) => o.value === x))) return { key: 'validation.invalidOption' };
      if (list.length < minSelected(q))
        return list.length === 0 ? { key: 'validation.required' } : { key: 'validation.minSelected', params: { min: minSelected(q) } };
      if (list.length > maxSelected(q)) return { key: 'validation.maxSelected', params: { max: maxSelected(q) } };
      return null;
    }
    case 'rating':
      if (v === undefined || v === null) return isRequired(q) ? { key: 'validation.required' } : null;
      return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= q.scale
        ? null
        : { key: 'validation.ratingRange', params: { max: q.scale } };
    case 'pairwise': {
      const p = v as Partial<PairwiseValue> | null | undefined;
      if (!p?.choice) return isRequired(q) ? { key: 'validation.required' } : null;
      if (q.strength && p.choice !== 'tie' && !(typeof p.strength === 'number' && p.strength >= 1 && p.strength <= 3))
        return { key: 'validation.strengthRequired' };
      const rationale = (p.rationale ?? '').trim();
      if (q.rationale?.required && rationale === '') return { key: 'validation.rationaleRequired' };
      if (rationale !== '') return lengthError(p.rationale ?? '', q.rationale?.minLength, q.rationale?.maxLength);
      return null;
    }
    case 'free_text': {
      const text = typeof v === 'string' ? v : '';
      if (text.trim() === '') {
        if (isRequired(q)) return { key: 'validation.required' };
        return null;
      }
      return lengthError(text, q.minLength, q.maxLength);
    }
  }
}

export function validateAll(template: Template, values: DraftValues): Record<string, ValidationError> {
  const errors: Record<string, ValidationError> = {};
  for (const q of template.questions) {
    const e = validateQuestion(q, values[q.id]);
    if (e) errors[q.id] = e;
  }
  return errors;
}

/** The answer object the server expects; optional questions left empty are omitted. */
export function buildAnswer(template: Template, values: DraftValues): Answer {
  const answer: Answer = {};
  for (const q of template.questions) {
    const v = values[q.id];
    let out: AnswerValue | undefined;
    switch (q.type) {
      case 'single_choice':
        out = typeof v === 'string' && v !== '' ? v : undefined;
        break;
      case 'multiple_choice': {
        const list = Array.isArray(v) ? q.options.map((o) => o.value).filter((x) => v.includes(x)) : [];
        out = list.length > 0 || isRequired(q) ? list : undefined;
        break;
      }
      case 'rating':
        out = typeof v === 'number' ? v : undefined;
        break;
      case 'pairwise': {
        const p = v as Partial<PairwiseValue> | null | undefined;
        if (p?.choice) {
          const pv: PairwiseValue = { choice: p.choice };
          if (q.strength && p.choice !== 'tie' && typeof p.strength === 'number') pv.strength = p.strength;
          const rationale = (p.rationale ?? '').trim();
          if (rationale !== '') pv.rationale = rationale;
          out = pv;
        }
        break;
      }
      case 'free_text':
        out = typeof v === 'string' && v.trim() !== '' ? v : undefined;
        break;
    }
    if (out !== undefined) answer[q.id] = out;
  }
  return answer;
}

/** Number of keyboard choices a question offers (options, scale points, or strengths). */
export function choiceCount(q: Question, v: DraftValue): number {
  switch (q.type) {
    case 'single_choice':
    case 'multiple_choice':
      return Math.min(q.options.length, 9);
    case 'rating':
      return Math.min(q.scale, 9);
    case 'pairwise': {
      const p = v as Partial<PairwiseValue> | undefined;
      return q.strength && p?.choice && p.choice !== 'tie' ? 3 : 0;
    }
    default:
      return 0;
  }
}

/** The value after pressing number key `n` (1-based) on a question. */
export function applyNumber(q: Question, v: DraftValue, n: number): DraftValue {
  if (n < 1 || n > choiceCount(q, v)) return v;
  switch (q.type) {
    case 'single_choice':
      return q.options[n - 1].value;
    case 'multiple_choice': {
      const value = q.options[n - 1].value;
      const list = Array.isArray(v) ? v : [];
      return list.includes(value) ? list.filter((x) => x !== value) : [...list, value];
    }
    case 'rating':
      return n;
    case 'pairwise':
      return { ...(v as Partial<PairwiseValue>), strength: n };
    default:
      return v;
  }
}

export function applyPairwise(v: DraftValue, choice: PairwiseValue['choice']): Partial<PairwiseValue> {
  const p = { ...((v as Partial<PairwiseValue> | null | undefined) ?? {}), choice };
  if (choice === 'tie') delete p.strength;
  return p;
}
