import { beforeEach, describe, expect, it } from 'vitest';
import { draftFor, listDrafts, loadDraft, newIdempotencyKey, removeDraft, saveDraft } from '../src/task/draft';

beforeEach(() => localStorage.clear());

describe('drafts', () => {
  it('creates one idempotency key per assignment and keeps it across loads', () => {
    const d = draftFor('asg-1', 'p1');
    expect(d.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(draftFor('asg-1', 'p1').idempotencyKey).toBe(d.idempotencyKey);
    expect(draftFor('asg-2', 'p1').idempotencyKey).not.toBe(d.idempotencyKey);
  });

  it('autosaves values and the submitted body, and lists them per project', () => {
    const d = draftFor('asg-1', 'p1');
    d.values = { topic: 'sports' };
    d.submitted = { answer: { topic: 'sports' }, activeSeconds: 9 };
    saveDraft(d);
    draftFor('asg-9', 'p2');
    expect(loadDraft('asg-1')?.values).toEqual({ topic: 'sports' });
    expect(listDrafts('p1').map((x) => x.assignmentId)).toEqual(['asg-1']);
    expect(listDrafts('p1')[0].submitted?.activeSeconds).toBe(9);
    removeDraft('asg-1');
    expect(loadDraft('asg-1')).toBeNull();
  });

  it('makes version 4 UUIDs', () => {
    const keys = new Set(Array.from({ length: 50 }, newIdempotencyKey));
    expect(keys.size).toBe(50);
  });
});
