import { afterEach, describe, expect, it } from 'vitest';
import { alphaLevel, methodName, QualityPanel, sortTaskers } from '../src/requester/QualityPanel';
import type { ProjectQuality, TaskerQuality } from '../src/types';
import { click, mount } from './helpers';

const taskers: TaskerQuality[] = [
  { taskerId: 1, name: 'Amina Njoroge', country: 'KE', answers: 40, estimatedAccuracy: 0.91, goldAnswered: 10, goldAccuracy: 0.9 },
  { taskerId: 2, name: 'Paolo Reyes', country: 'PH', answers: 25, estimatedAccuracy: 0.62, goldAnswered: 0, goldAccuracy: null },
  { taskerId: 3, name: 'Beatriz Lima', country: null, answers: 60, estimatedAccuracy: null, goldAnswered: 4, goldAccuracy: 0.5 },
];

const data: ProjectQuality = {
  questions: [
    { question: 'category', method: 'ds', items: 50, answers: 125, krippendorffAlpha: 0.8312, percentAgreement: 0.874, goldAnswered: 14, goldAccuracy: 0.7857 },
    { question: 'urgency', method: 'mv', items: 12, answers: 30, krippendorffAlpha: 0.7, percentAgreement: 0.8, goldAnswered: 0, goldAccuracy: null },
    { question: 'tone', method: 'onecoin-ds', items: 5, answers: 5, krippendorffAlpha: null, percentAgreement: null, goldAnswered: 0, goldAccuracy: null },
  ],
  taskers,
};

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

function show(quality: ProjectQuality | null, prompts: Record<string, string> = {}) {
  const m = mount(<QualityPanel quality={quality} prompts={prompts} />);
  unmount = m.unmount;
  return m.root;
}

const names = (root: HTMLElement) =>
  [...root.querySelectorAll('[data-testid="quality-taskers"] tbody th')].map((th) => th.textContent);

describe('QualityPanel', () => {
  it('shows a row per question with method, counts, alpha with its hint, agreement and gold accuracy', () => {
    const root = show(data, { category: 'Which team should handle this?' });
    const rows = root.querySelectorAll('[data-testid="quality-questions"] tbody tr');
    expect(rows).toHaveLength(3);
    const first = rows[0];
    expect(first.querySelector('th')!.textContent).toContain('Which team should handle this?');
    expect(first.querySelector('th code')!.textContent).toBe('category');
    const cells = [...first.querySelectorAll('td')].map((td) => td.textContent);
    expect(cells[0]).toBe('Dawid–Skene');
    expect(cells[1]).toBe('50');
    expect(cells[2]).toBe('125');
    expect(cells[3]).toContain('0.83');
    expect(cells[3]).toContain('good');
    expect(first.querySelector('.alpha-good')).not.toBeNull();
    expect(cells[4]).toBe('87%');
    expect(cells[5]).toBe('79% of 14 answers');
    // 0.7 is tentative; the method of each question is named readably.
    expect(rows[1].querySelector('.alpha-tentative')).not.toBeNull();
    expect(rows[1].textContent).toContain('Majority vote');
    expect(rows[2].textContent).toContain('One-coin Dawid–Skene');
  });

  it('shows dashes and hints instead of numbers it cannot compute', () => {
    const root = show(data);
    const tone = root.querySelector('[data-question="tone"]')!;
    expect(tone.querySelector('th')!.textContent).toBe('tone');
    expect(tone.querySelector('[data-testid="alpha"]')!.textContent).toContain('—');
    expect(tone.querySelector('[data-testid="alpha"]')!.textContent).toContain('needs 2+ answers per item');
    expect(tone.querySelector('[data-testid="gold"]')!.textContent).toBe('no gold answered');
    expect(tone.textContent).not.toContain('NaN');
    expect(tone.textContent).not.toContain('null');

    const beatriz = root.querySelector('[data-tasker="3"]')!;
    expect(beatriz.querySelector('[data-testid="estimated"]')!.textContent).toBe('—');
    expect(beatriz.querySelector('.acc-bar')).toBeNull();
    const paolo = root.querySelector('[data-tasker="2"]')!;
    expect(paolo.querySelector('[data-testid="tasker-gold"]')!.textContent).toBe('—');
  });

  it('draws a bar per tasker for the estimated accuracy', () => {
    const root = show(data);
    const amina = root.querySelector('[data-tasker="1"]')!;
    expect(amina.textContent).toContain('Amina Njoroge');
    expect(amina.textContent).toContain('Kenya');
    expect((amina.querySelector('.acc-bar > span') as HTMLElement).style.width).toBe('91%');
    expect(amina.querySelector('[data-testid="estimated"]')!.textContent).toBe('91%');
    expect(amina.querySelector('[data-testid="tasker-gold"]')!.textContent).toBe('90% of 10 answers');
  });

  it('shows a helpful empty state before anyone has answered', () => {
    const root = show({ questions: [], taskers: [] });
    expect(root.querySelector('[data-testid="quality-empty"]')!.textContent).toBe('Quality figures appear once taskers have answered.');
    expect(root.querySelector('table')).toBeNull();
  });

  it('says loading until the first report arrives', () => {
    const root = show(null);
    expect(root.textContent).toContain('Loading');
  });

  it('sorts the taskers by the clicked column, toggling the order', () => {
    const root = show(data);
    // Most answers first by default.
    expect(names(root)).toEqual(['Beatriz Lima', 'Amina Njoroge', 'Paolo Reyes']);
    const header = (key: string) => root.querySelector(`button[data-sort="${key}"]`)!;
    expect(header('answers').closest('th')!.getAttribute('aria-sort')).toBe('descending');

    click(header('name'));
    expect(names(root)).toEqual(['Amina Njoroge', 'Beatriz Lima', 'Paolo Reyes']);
    expect(header('name').closest('th')!.getAttribute('aria-sort')).toBe('ascending');
    expect(header('answers').closest('th')!.hasAttribute('aria-sort')).toBe(false);
    click(header('name'));
    expect(names(root)).toEqual(['Paolo Reyes', 'Beatriz Lima', 'Amina Njoroge']);

    // Figures start highest first; a missing estimate stays last either way.
    click(header('estimatedAccuracy'));
    expect(names(root)).toEqual(['Amina Njoroge', 'Paolo Reyes', 'Beatriz Lima']);
    click(header('estimatedAccuracy'));
    expect(names(root)).toEqual(['Paolo Reyes', 'Amina Njoroge', 'Beatriz Lima']);

    click(header('goldAccuracy'));
    expect(names(root)).toEqual(['Amina Njoroge', 'Beatriz Lima', 'Paolo Reyes']);
    click(header('country'));
    expect(names(root)).toEqual(['Amina Njoroge', 'Paolo Reyes', 'Beatriz Lima']);
  });
});

describe('quality helpers', () => {
  it('grades alpha by the usual thresholds', () => {
    expect(alphaLevel(0.8)).toBe('good');
    expect(alphaLevel(0.667)).toBe('tentative');
    expect(alphaLevel(0.6669)).toBe('low');
    expect(alphaLevel(-0.2)).toBe('low');
  });

  it('names every method and leaves an unknown one as it is', () => {
    expect(['mv', 'ds', 'wawa', 'onecoin-ds', 'glad', 'mace'].map(methodName)).toEqual([
      'Majority vote', 'Dawid–Skene', 'Wawa', 'One-coin Dawid–Skene', 'GLAD', 'MACE',
    ]);
    expect(methodName(undefined)).toContain('Automatic');
    expect(methodName('zeta')).toBe('zeta');
  });

  it('does not reorder the list it is given', () => {
    const copy = [...taskers];
    sortTaskers(taskers, { key: 'name', desc: false });
    expect(taskers).toEqual(copy);
  });
});
