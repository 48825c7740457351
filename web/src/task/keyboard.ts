// Keyboard shortcuts of the task page, as a pure function of the key and the page state.
import type { PairwiseValue, Question } from '../types';
import { choiceCount, isAnswered, type DraftValues } from './answers';

export type KeyAction =
  | { type: 'number'; questionId: string; n: number }
  | { type: 'pairwise'; questionId: string; choice: PairwiseValue['choice'] }
  | { type: 'submit' }
  | { type: 'skip' };

export interface KeyContext {
  questions: Question[];
  values: DraftValues;
  /** The question whose widget holds the keyboard focus. */
  focusedQuestionId: string | null;
  /** The question last changed with a number key. */
  stickyQuestionId: string | null;
  /** Focus is in a text input or textarea: only Ctrl+Enter acts. */
  inTextBox: boolean;
  /** Focus is on a button, link or summary: Enter keeps its usual meaning. */
  onControl: boolean;
}

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** The question that number keys act on. */
export function numberTarget(ctx: KeyContext): Question | null {
  const { questions, values } = ctx;
  const byId = (id: string | null) => (id ? questions.find((q) => q.id === id) ?? null : null);
  const focused = byId(ctx.focusedQuestionId);
  if (focused && choiceCount(focused, values[focused.id]) > 0) return focused;
  const sticky = byId(ctx.stickyQuestionId);
  // A multiple-choice question keeps the number keys so several options can be toggled.
  if (sticky?.type === 'multiple_choice') return sticky;
  const open = questions.find((q) => choiceCount(q, values[q.id]) > 0 && !isAnswered(q, values[q.id]));
  if (open) return open;
  if (sticky && choiceCount(sticky, values[sticky.id]) > 0) return sticky;
  return null;
}

export function pairwiseTarget(ctx: KeyContext): Question | null {
  const pairwise = ctx.questions.filter((q) => q.type === 'pairwise');
  const focused = pairwise.find((q) => q.id === ctx.focusedQuestionId);
  return focused ?? pairwise.find((q) => !(ctx.values[q.id] as Partial<PairwiseValue> | undefined)?.choice) ?? pairwise[0] ?? null;
}

const pairwiseKeys: Record<string, PairwiseValue['choice']> = { a: 'A', b: 'B', t: 'tie' };

export function interpretKey(e: KeyLike, ctx: KeyContext): KeyAction | null {
  const mod = !!(e.ctrlKey || e.metaKey);
  if (e.key === 'Enter') {
    if (mod) return { type: 'submit' };
    if (ctx.inTextBox || ctx.onControl || e.altKey) return null;
    return { type: 'submit' };
  }
  if (ctx.inTextBox || mod || e.altKey) return null;
  if (/^[1-9]$/.test(e.key)) {
    const q = numberTarget(ctx);
    const n = Number(e.key);
    return q && n <= choiceCount(q, ctx.values[q.id]) ? { type: 'number', questionId: q.id, n } : null;
  }
  const k = e.key.toLowerCase();
  if (k === 's') return { type: 'skip' };
  if (k in pairwiseKeys) {
    const q = pairwiseTarget(ctx);
    return q ? { type: 'pairwise', questionId: q.id, choice: pairwiseKeys[k] } : null;
  }
  return null;
}

/** Whether an element is a place where typed characters are text. */
export function isTextBox(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if ((el as HTMLElement).isContentEditable) return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['radio', 'checkbox', 'button', 'submit', 'reset', 'range', 'file', 'color'].includes(type);
}

export function isControl(el: Element | null): boolean {
  return !!el && ['BUTTON', 'A', 'SUMMARY'].includes(el.tagName);
}
