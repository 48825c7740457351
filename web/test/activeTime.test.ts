import { describe, expect, it } from 'vitest';
import { ActiveTimer } from '../src/task/activeTime';

function clock() {
  let now = 0;
  return { now: () => now, advance: (s: number) => (now += s * 1000) };
}

describe('ActiveTimer', () => {
  it('counts time while focused and active', () => {
    const c = clock();
    const timer = new ActiveTimer({ now: c.now });
    c.advance(10);
    timer.activity();
    c.advance(10);
    expect(timer.seconds()).toBe(20);
  });

  it('stops counting 30 seconds after the last input', () => {
    const c = clock();
    const timer = new ActiveTimer({ now: c.now });
    c.advance(5);
    timer.activity();
    c.advance(120);
    expect(timer.seconds()).toBe(35);
    timer.activity();
    c.advance(3);
    expect(timer.seconds()).toBe(38);
  });

  it('does not count while the page has no focus', () => {
    const c = clock();
    const timer = new ActiveTimer({ now: c.now });
    c.advance(4);
    timer.setFocused(false);
    c.advance(20);
    expect(timer.seconds()).toBe(4);
    timer.setFocused(true);
    c.advance(6);
    expect(timer.seconds()).toBe(10);
  });

  it('restarts from a restored draft', () => {
    const c = clock();
    const timer = new ActiveTimer({ now: c.now });
    c.advance(50);
    timer.reset(7);
    c.advance(2);
    expect(timer.seconds()).toBe(9);
  });
});
