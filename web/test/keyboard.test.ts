import { describe, expect, it } from 'vitest';
import { interpretKey, isTextBox, numberTarget, type KeyContext } from '../src/task/keyboard';
import type { Question } from '../src/types';

const questions: Question[] = [
  { id: 'pref', type: 'pairwise', prompt: 'Better?', strength: true },
  { id: 'topic', type: 'single_choice', prompt: 'Topic', options: [{ value: 'x' }, { value: 'y' }, { value: 'z' }] },
  { id: 'tags', type: 'multiple_choice', prompt: 'Tags', options: [{ value: 'a' }, { value: 'b' }] },
  { id: 'stars', type: 'rating', prompt: 'Stars', scale: 5 },
  { id: 'notes', type: 'free_text', prompt: 'Notes', required: false },
];

const ctx = (over: Partial<KeyContext> = {}): KeyContext => ({
  questions,
  values: {},
  focusedQuestionId: null,
  stickyQuestionId: null,
  inTextBox: false,
  onControl: false,
  ...over,
});

describe('interpretKey', () => {
  it('sends number keys to the first unanswered choice question', () => {
    expect(interpretKey({ key: '2' }, ctx())).toEqual({ type: 'number', questionId: 'topic', n: 2 });
    expect(interpretKey({ key: '4' }, ctx({ values: { topic: 'x' } }))).toBeNull(); // tags has two options
    expect(interpretKey({ key: '2' }, ctx({ values: { topic: 'x' } }))).toEqual({ type: 'number', questionId: 'tags', n: 2 });
  });

  it('prefers the focused question, and keeps a multiple choice question for toggling', () => {
    expect(interpretKey({ key: '5' }, ctx({ focusedQuestionId: 'stars' }))).toEqual({ type: 'number', questionId: 'stars', n: 5 });
    expect(numberTarget(ctx({ values: { topic: 'x', tags: ['a'] }, stickyQuestionId: 'tags' }))?.id).toBe('tags');
  });

  it('sets the pairwise strength once A or B is chosen', () => {
    const c = ctx({ values: { pref: { choice: 'A' } } });
    expect(interpretKey({ key: '3' }, c)).toEqual({ type: 'number', questionId: 'pref', n: 3 });
  });

  it('maps A, B and T to the pairwise preference, in either case', () => {
    expect(interpretKey({ key: 'a' }, ctx())).toEqual({ type: 'pairwise', questionId: 'pref', choice: 'A' });
    expect(interpretKey({ key: 'B' }, ctx())).toEqual({ type: 'pairwise', questionId: 'pref', choice: 'B' });
    expect(interpretKey({ key: 't' }, ctx())).toEqual({ type: 'pairwise', questionId: 'pref', choice: 'tie' });
  });

  it('submits with Enter, or Ctrl+Enter from a text box, and skips with S', () => {
    expect(interpretKey({ key: 'Enter' }, ctx())).toEqual({ type: 'submit' });
    expect(interpretKey({ key: 'Enter' }, ctx({ inTextBox: true }))).toBeNull();
    expect(interpretKey({ key: 'Enter', ctrlKey: true }, ctx({ inTextBox: true }))).toEqual({ type: 'submit' });
    expect(interpretKey({ key: 'Enter' }, ctx({ onControl: true }))).toBeNull();
    expect(interpretKey({ key: 's' }, ctx())).toEqual({ type: 'skip' });
  });

  it('leaves typing in a text box and browser shortcuts alone', () => {
    expect(interpretKey({ key: 's' }, ctx({ inTextBox: true }))).toBeNull();
    expect(interpretKey({ key: '1' }, ctx({ inTextBox: true }))).toBeNull();
    expect(interpretKey({ key: 'a' }, ctx({ inTextBox: true }))).toBeNull();
    expect(interpretKey({ key: 's', ctrlKey: true }, ctx())).toBeNull();
    expect(interpretKey({ key: '1', altKey: true }, ctx())).toBeNull();
  });

  it('ignores numbers beyond the options', () => {
    expect(interpretKey({ key: '9' }, ctx())).toBeNull();
  });
});

describe('isTextBox', () => {
  it('treats text inputs and textareas as text boxes, radios and checkboxes not', () => {
    const el = (html: string) => {
      const d = document.createElement('div');
      d.innerHTML = html;
      return d.firstElementChild;
    };
    expect(isTextBox(el('<textarea></textarea>'))).toBe(true);
    expect(isTextBox(el('<input type="text">'))).toBe(true);
    expect(isTextBox(el('<input>'))).toBe(true);
    expect(isTextBox(el('<input type="radio">'))).toBe(false);
    expect(isTextBox(el('<input type="checkbox">'))).toBe(false);
    expect(isTextBox(el('<button></button>'))).toBe(false);
    expect(isTextBox(null)).toBe(false);
  });
});
