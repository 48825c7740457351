import { describe, expect, it } from 'vitest';
import { duration, money } from '../src/format';
import { hourlySeries } from '../src/requester/hourly';

describe('answers per hour', () => {
  it('fills missing hours with zero and shows at least a day', () => {
    const now = Date.parse('2026-11-22T19:30:00Z');
    const [xs, ys] = hourlySeries([{ hour: '2026-11-22T17:00:00+00:00', answers: 4 }, { hour: '2026-11-22T19:00:00Z', answers: 5 }], now);
    expect(xs).toHaveLength(24);
    expect(xs[23]).toBe(Date.parse('2026-11-22T19:00:00Z') / 1000);
    expect(ys.slice(-3)).toEqual([4, 0, 5]);
    expect(ys.slice(0, 21).every((y) => y === 0)).toBe(true);
  });
});

describe('formatting', () => {
  it('states durations the way a tasker reads them', () => {
    expect(duration(20)).toBe('20 s');
    expect(duration(90)).toBe('1.5 min');
    expect(duration(900)).toBe('15 min');
    expect(duration(7200)).toBe('2 h');
  });

  it('formats money in its currency', () => {
    expect(money(0.12, 'USD')).toBe('$0.12');
    expect(money(2, 'XXX-bad')).toBe('2.00 XXX-bad');
  });
});
