import { describe, expect, it } from 'vitest';
import { applyNumber, applyPairwise, buildAnswer, isAnswered, validateAll, validateQuestion } from '../src/task/answers';
import type { Question, Template } from '../src/types';

const single: Question = { id: 'topic', type: 'single_choice', prompt: 'Topic', options: [{ value: 'sports', label: 'Sports' }, { value: 'politics', label: 'Politics' }] };
const multi: Question = { id: 'tags', type: 'multiple_choice', prompt: 'Tags', options: [{ value: 'a' }, { value: 'b' }, { value: 'c' }, { value: 'd' }], minSelected: 1, maxSelected: 2 };
const rating: Question = { id: 'helpful', type: 'rating', prompt: 'How helpful?', scale: 5 };
const pairwise: Question = { id: 'pref', type: 'pairwise', prompt: 'Better?', strength: true, rationale: { required: false, maxLength: 10 } };
const text: Question = { id: 'notes', type: 'free_text', prompt: 'Notes', minLength: 3, maxLength: 8, required: false };

describe('validateQuestion', () => {
  it('requires an answer unless the question is optional', () => {
    expect(validateQuestion(single, undefined)?.key).toBe('validation.required');
    expect(validateQuestion({ ...single, required: false }, undefined)).toBeNull();
    expect(validateQuestion(rating, null)?.key).toBe('validation.required');
    expect(validateQuestion(pairwise, {})?.key).toBe('validation.required');
    expect(validateQuestion({ ...text, required: true }, '   ')?.key).toBe('validation.required');
  });

  it('rejects a single choice that is not an option', () => {
    expect(validateQuestion(single, 'weather')?.key).toBe('validation.invalidOption');
    expect(validateQuestion(single, 'sports')).toBeNull();
  });

  it('checks the number of choices against minSelected and maxSelected', () => {
    expect(validateQuestion(multi, [])?.key).toBe('validation.required');
    expect(validateQuestion(multi, ['a'])).toBeNull();
    expect(validateQuestion(multi, ['a', 'b', 'c'])).toEqual({ key: 'validation.maxSelected', params: { max: 2 } });
    expect(validateQuestion({ ...multi, minSelected: 2 }, ['a'])).toEqual({ key: 'validation.minSelected', params: { min: 2 } });
    expect(validateQuestion(multi, ['z'])?.key).toBe('validation.invalidOption');
  });

  it('keeps a rating within 1..scale', () => {
    expect(validateQuestion(rating, 0)?.key).toBe('validation.ratingRange');
    expect(validateQuestion(rating, 6)?.key).toBe('validation.ratingRange');
    expect(validateQuestion(rating, 2.5)?.key).toBe('validation.ratingRange');
    expect(validateQuestion(rating, 5)).toBeNull();
  });

  it('asks for strength on A or B but not on a tie, and limits the rationale', () => {
    expect(validateQuestion(pairwise, { choice: 'A' })?.key).toBe('validation.strengthRequired');
    expect(validateQuestion(pairwise, { choice: 'A', strength: 2 })).toBeNull();
    expect(validateQuestion(pairwise, { choice: 'tie' })).toBeNull();
    expect(validateQuestion(pairwise, { choice: 'B', strength: 1, rationale: 'far too long here' })?.key).toBe('validation.tooLong');
    const required: Question = { ...pairwise, rationale: { required: true } };
    expect(validateQuestion(required, { choice: 'B', strength: 3 })?.key).toBe('validation.rationaleRequired');
  });

  it('checks free text length both ways', () => {
    expect(validateQuestion(text, 'ab')).toEqual({ key: 'validation.tooShort', params: { min: 3 } });
    expect(validateQuestion(text, 'abcdefghi')).toEqual({ key: 'validation.tooLong', params: { max: 8 } });
    expect(validateQuestion(text, 'abcd')).toBeNull();
    expect(validateQuestion(text, '')).toBeNull();
  });
});

describe('buildAnswer', () => {
  const template: Template = { fields: [], questions: [single, multi, rating, pairwise, text] };

  it('produces the shape of docs/api.md, keyed by question id', () => {
    const answer = buildAnswer(template, {
      topic: 'politics',
      tags: ['b', 'a'],
      helpful: 4,
      pref: { choice: 'A', strength: 3, rationale: '  short ' },
      notes: 'fine',
    });
    expect(answer).toEqual({
      topic: 'politics',
      tags: ['a', 'b'],
      helpful: 4,
      pref: { choice: 'A', strength: 3, rationale: 'short' },
      notes: 'fine',
    });
  });

  it('omits optional questions left empty and the strength of a tie', () => {
    const answer = buildAnswer(template, { topic: 'sports', tags: ['c'], helpful: 1, pref: { choice: 'tie', strength: 2 }, notes: '' });
    expect(answer).toEqual({ topic: 'sports', tags: ['c'], helpful: 1, pref: { choice: 'tie' } });
    expect('notes' in answer).toBe(false);
  });

  it('passes validation exactly when every question is acceptable', () => {
    expect(Object.keys(validateAll(template, {}))).toEqual(['topic', 'tags', 'helpful', 'pref']);
    expect(validateAll(template, { topic: 'sports', tags: ['a'], helpful: 3, pref: { choice: 'B', strength: 1 } })).toEqual({});
  });
});

describe('number keys and pairwise keys', () => {
  it('choose, toggle and rate', () => {
    expect(applyNumber(single, undefined, 2)).toBe('politics');
    expect(applyNumber(single, undefined, 3)).toBeUndefined();
    expect(applyNumber(multi, ['a'], 2)).toEqual(['a', 'b']);
    expect(applyNumber(multi, ['a', 'b'], 1)).toEqual(['b']);
    expect(applyNumber(rating, undefined, 4)).toBe(4);
  });

  it('set the pairwise strength only after A or B', () => {
    expect(applyNumber(pairwise, undefined, 2)).toBeUndefined();
    expect(applyNumber(pairwise, { choice: 'B' }, 2)).toEqual({ choice: 'B', strength: 2 });
    expect(applyPairwise({ choice: 'A', strength: 3 }, 'tie')).toEqual({ choice: 'tie' });
    expect(isAnswered(pairwise, { choice: 'A' })).toBe(false);
    expect(isAnswered(pairwise, { choice: 'A', strength: 1 })).toBe(true);
  });
});
