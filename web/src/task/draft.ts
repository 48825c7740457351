// The draft answer of each assignment, kept in localStorage so a reload or a crash loses nothing.
// It also holds the assignment's idempotency key and, once submitted, the exact body sent.
import type { Answer, Id } from '../types';
import type { DraftValues } from './answers';

export interface Draft {
  assignmentId: Id;
  projectId: Id;
  idempotencyKey: string;
  values: DraftValues;
  activeSeconds: number;
  /** Set when the tasker submitted: the body to resend until the server acknowledges it. */
  submitted?: { answer: Answer; activeSeconds: number };
  updatedAt: number;
}

const prefix = 'fairlabel.draft.';
const maxAgeMs = 14 * 24 * 3600 * 1000;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  // randomUUID exists only in secure contexts; build a version 4 UUID by hand elsewhere.
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function loadDraft(assignmentId: Id): Draft | null {
  const raw = storage()?.getItem(prefix + assignmentId);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Draft;
  } catch {
    return null;
  }
}

/** The assignment's draft, or a new empty one with a fresh idempotency key (saved at once). */
export function draftFor(assignmentId: Id, projectId: Id): Draft {
  const existing = loadDraft(assignmentId);
  if (existing) return existing;
  const draft: Draft = { assignmentId, projectId, idempotencyKey: newIdempotencyKey(), values: {}, activeSeconds: 0, updatedAt: Date.now() };
  saveDraft(draft);
  return draft;
}

export function saveDraft(draft: Draft): void {
  try {
    storage()?.setItem(prefix + draft.assignmentId, JSON.stringify({ ...draft, updatedAt: Date.now() }));
  } catch {
    /* storage full or disabled: the draft lives in memory only */
  }
}

export function removeDraft(assignmentId: Id): void {
  storage()?.removeItem(prefix + assignmentId);
}

/** All drafts of a project; drops those older than two weeks. */
export function listDrafts(projectId?: Id): Draft[] {
  const s = storage();
  if (!s) return [];
  const drafts: Draft[] = [];
  for (let i = s.length - 1; i >= 0; i--) {
    const key = s.key(i);
    if (!key?.startsWith(prefix)) continue;
    const d = loadDraft(key.slice(prefix.length));
    if (!d || Date.now() - d.updatedAt > maxAgeMs) {
      s.removeItem(key);
      continue;
    }
    if (projectId === undefined || String(d.projectId) === String(projectId)) drafts.push(d);
  }
  return drafts;
}
