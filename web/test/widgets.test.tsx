import { useState } from 'preact/hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAnswer, validateQuestion, type DraftValue } from '../src/task/answers';
import { QuestionWidget } from '../src/task/widgets';
import type { Question } from '../src/types';
import { click, mount, typeInto } from './helpers';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

/** Renders a widget holding its own value, and reports every value and the validation error. */
function harness(question: Question, initial?: DraftValue) {
  const seen: DraftValue[] = [];
  let latest: DraftValue = initial;
  function H() {
    const [v, setV] = useState<DraftValue>(initial);
    return (
      <QuestionWidget
        question={question}
        value={v}
        error={seen.length ? validateQuestion(question, v) : null}
        onChange={(next) => {
          seen.push(next);
          latest = next;
          setV(next);
        }}
      />
    );
  }
  const m = mount(<H />);
  cleanup = m.unmount;
  return { root: m.root, seen, value: () => latest };
}

describe('single choice', () => {
  const q: Question = { id: 'topic', type: 'single_choice', prompt: 'Topic', options: [{ value: 'sports', label: 'Sports' }, { value: 'politics', label: 'Politics' }] };

  it('renders a labelled radio per option with its number key', () => {
    const { root } = harness(q);
    expect(root.querySelector('legend')?.textContent).toContain('Topic');
    const radios = root.querySelectorAll('input[type=radio]');
    expect(radios).toHaveLength(2);
    expect([...root.querySelectorAll('.option')].map((l) => l.textContent)).toEqual(['1Sports', '2Politics']);
    expect(root.querySelector('fieldset')?.getAttribute('data-question')).toBe('topic');
  });

  it('chooses on click and gives the option value as the answer', () => {
    const h = harness(q);
    click(h.root.querySelectorAll('input')[1]);
    expect(h.value()).toBe('politics');
    expect((h.root.querySelectorAll('input')[1] as HTMLInputElement).checked).toBe(true);
  });
});

describe('multiple choice', () => {
  const q: Question = { id: 'tags', type: 'multiple_choice', prompt: 'Tags', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }, { value: 'c', label: 'C' }], maxSelected: 2 };

  it('toggles options and states the limits', () => {
    const h = harness(q);
    expect(h.root.querySelector('.hint')?.textContent).toBe('Choose between 1 and 2.');
    const boxes = h.root.querySelectorAll('input[type=checkbox]');
    click(boxes[0]);
    click(boxes[2]);
    expect(h.value()).toEqual(['a', 'c']);
    click(boxes[0]);
    expect(h.value()).toEqual(['c']);
  });

  it('shows the validation error when too many are chosen', () => {
    const h = harness(q, ['a', 'b']);
    click(h.root.querySelectorAll('input')[2]);
    expect(h.root.querySelector('.error')?.textContent).toBe('Choose at most 2.');
    expect(h.root.querySelector('fieldset')?.getAttribute('aria-invalid')).toBe('true');
  });
});

describe('rating', () => {
  const q: Question = { id: 'helpful', type: 'rating', prompt: 'How helpful?', scale: 5, lowLabel: 'Not at all', highLabel: 'Very' };

  it('offers 1..scale with the end labels and answers an integer', () => {
    const h = harness(q);
    const radios = h.root.querySelectorAll('input[type=radio]');
    expect(radios).toHaveLength(5);
    expect(radios[0].getAttribute('aria-label')).toBe('1 (Not at all)');
    expect(radios[4].getAttribute('aria-label')).toBe('5 (Very)');
    click(radios[3]);
    expect(h.value()).toBe(4);
  });
});

describe('pairwise', () => {
  const q: Question = { id: 'pref', type: 'pairwise', prompt: 'Which is better?', strength: true, rationale: { required: false, maxLength: 20 } };

  it('shows A, B and tie with their keys; strength appears after A or B', () => {
    const h = harness(q);
    expect([...h.root.querySelectorAll('.options.pairwise .option')].map((l) => l.textContent)).toEqual(['AA is better', 'BB is better', 'TTie']);
    expect(h.root.querySelector('.strength')).toBeNull();
    click(h.root.querySelector('input[value=B]'));
    expect(h.root.querySelector('.strength')).not.toBeNull();
    click(h.root.querySelectorAll('.strength input')[2]);
    expect(h.value()).toEqual({ choice: 'B', strength: 3 });
    click(h.root.querySelector('input[value=tie]'));
    expect(h.value()).toEqual({ choice: 'tie' });
    expect(h.root.querySelector('.strength')).toBeNull();
  });

  it('keeps a rationale with a length counter', () => {
    const h = harness(q, { choice: 'A', strength: 1 });
    typeInto(h.root.querySelector('textarea'), 'clearer');
    expect(h.value()).toEqual({ choice: 'A', strength: 1, rationale: 'clearer' });
    expect(h.root.querySelector('.counter')?.textContent).toBe('7 / 20 characters');
    expect(buildAnswer({ fields: [], questions: [q] }, { pref: h.value() })).toEqual({ pref: { choice: 'A', strength: 1, rationale: 'clearer' } });
  });

  it('requires the strength before the answer is valid', () => {
    const h = harness(q);
    click(h.root.querySelector('input[value=A]'));
    expect(h.root.querySelector('.error')?.textContent).toBe('Say how much better it is.');
  });
});

describe('free text', () => {
  const q: Question = { id: 'notes', type: 'free_text', prompt: 'Notes', minLength: 5, maxLength: 10 };

  it('counts characters against the limits and flags out-of-range text', () => {
    const h = harness(q);
    const area = h.root.querySelector('textarea')!;
    expect(area.getAttribute('aria-label')).toBe('Notes');
    typeInto(area, 'abc');
    expect(h.root.querySelector('.counter')?.textContent).toBe('3 / 10 characters · at least 5');
    expect(h.root.querySelector('.counter')?.classList.contains('bad')).toBe(true);
    expect(h.root.querySelector('.error')?.textContent).toBe('Write at least 5 characters.');
    typeInto(area, 'abcdefghijkl');
    expect(h.root.querySelector('.error')?.textContent).toBe('Write at most 10 characters.');
    typeInto(area, 'just right');
    expect(h.root.querySelector('.error')).toBeNull();
    expect(h.value()).toBe('just right');
  });

  it('marks an optional question as optional', () => {
    const h = harness({ ...q, required: false });
    expect(h.root.querySelector('legend')?.textContent).toBe('Notes (optional)');
  });
});
