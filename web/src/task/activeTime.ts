// Active time on a task: counted only while the page has focus and the tasker has given input
// within the idle limit. Nothing else is observed (no keystrokes are recorded, only that one happened).

export interface ActiveTimerOptions {
  now?: () => number;
  idleMs?: number;
}

export class ActiveTimer {
  private readonly now: () => number;
  private readonly idleMs: number;
  private focused = true;
  private lastActivity: number;
  private lastTick: number;
  private totalMs = 0;

  constructor(opts: ActiveTimerOptions = {}) {
    this.now = opts.now ?? (() => Date.now());
    this.idleMs = opts.idleMs ?? 30_000;
    this.lastActivity = this.lastTick = this.now();
  }

  /** Adds the time since the last tick that was active: focused and before the idle limit. */
  tick(): void {
    const t = this.now();
    if (this.focused) {
      const activeUntil = Math.min(t, this.lastActivity + this.idleMs);
      this.totalMs += Math.max(0, activeUntil - this.lastTick);
    }
    this.lastTick = t;
  }

  activity(): void {
    this.tick();
    // Input proves the page has the tasker's attention, whatever the focus events said.
    this.focused = true;
    this.lastActivity = this.now();
  }

  setFocused(focused: boolean): void {
    this.tick();
    this.focused = focused;
    if (focused) this.lastActivity = this.now();
  }

  /** Starts counting for a new task, from `seconds` already measured (a restored draft). */
  reset(seconds = 0): void {
    this.totalMs = seconds * 1000;
    this.lastTick = this.lastActivity = this.now();
  }

  seconds(): number {
    this.tick();
    return Math.round(this.totalMs / 1000);
  }

  /** Wires the timer to the window's focus, visibility and input events. */
  attach(win: Window = window): () => void {
    const onActivity = () => this.activity();
    const onFocus = () => this.setFocused(true);
    const onBlur = () => this.setFocused(false);
    const onVisibility = () => this.setFocused(win.document.visibilityState === 'visible' && win.document.hasFocus());
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'scroll', 'input', 'touchstart'];
    events.forEach((e) => win.addEventListener(e, onActivity, { passive: true, capture: true }));
    win.addEventListener('focus', onFocus);
    win.addEventListener('blur', onBlur);
    win.document.addEventListener('visibilitychange', onVisibility);
    this.setFocused(win.document.hasFocus());
    const interval = win.setInterval(() => this.tick(), 1000);
    return () => {
      events.forEach((e) => win.removeEventListener(e, onActivity, { capture: true }));
      win.removeEventListener('focus', onFocus);
      win.removeEventListener('blur', onBlur);
      win.document.removeEventListener('visibilitychange', onVisibility);
      win.clearInterval(interval);
    };
  }
}
