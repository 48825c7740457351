// Delivers submissions until the server acknowledges them. Each assignment is sent with one
// idempotency key, however many times it is retried, and at most one request per assignment is
// in flight: the server counts it once and the tasker is paid once. Each is sent as "submit and
// take the next task", so the reply also brings the tasker's next task: one request per task.
import { problemOf, requestHeaders, type Problem } from '../api';
import type { Answer, Id, NextState, SubmitResult, SubmittedAndNext, Task } from '../types';

export interface Submission {
  assignmentId: Id;
  idempotencyKey: string;
  answer: Answer;
  activeSeconds: number;
}

export type SubmitState = 'saving' | 'retrying' | 'saved' | 'failed';

/** On success, the receipt and the next task the same request leased (null with the reason when none). */
export type SubmitOutcome =
  | { ok: true; result: SubmitResult; next: Task | null; nextState: NextState }
  | { ok: false; problem: Problem };

export interface SubmitterOptions {
  send?: (s: Submission) => Promise<Response>;
  sleep?: (ms: number, wake: Promise<void>) => Promise<void>;
  onState?: (assignmentId: Id, state: SubmitState, attempt: number) => void;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

export function sendSubmission(s: Submission): Promise<Response> {
  return fetch(`/api/work/tasks/${encodeURIComponent(s.assignmentId)}/submit-and-next`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: requestHeaders('POST', { 'Content-Type': 'application/json', 'Idempotency-Key': s.idempotencyKey }),
    body: JSON.stringify({ answer: s.answer, activeSeconds: s.activeSeconds }),
  });
}

const defaultSleep = (ms: number, wake: Promise<void>) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Statuses worth another try with the same key: the server may not have stored the answer. */
export const isRetriable = (status: number) => status >= 500 || status === 408 || status === 429;

export class Submitter {
  private readonly inFlight = new Map<string, Promise<SubmitOutcome>>();
  private readonly opts: Required<Omit<SubmitterOptions, 'onState'>> & Pick<SubmitterOptions, 'onState'>;
  private wakeUp: () => void = () => {};
  private wakePromise: Promise<void>;

  constructor(opts: SubmitterOptions = {}) {
    this.opts = {
      send: opts.send ?? sendSubmission,
      sleep: opts.sleep ?? defaultSleep,
      onState: opts.onState,
      baseDelayMs: opts.baseDelayMs ?? 1000,
      maxDelayMs: opts.maxDelayMs ?? 30_000,
      random: opts.random ?? Math.random,
    };
    this.wakePromise = this.newWake();
  }

  private newWake(): Promise<void> {
    return new Promise<void>((resolve) => (this.wakeUp = resolve));
  }

  /** Ends every backoff wait now (the browser says it is online again). */
  retryNow(): void {
    this.wakeUp();
    this.wakePromise = this.newWake();
  }

  /** Delay before attempt `attempt + 1`: exponential with jitter, capped. */
  delay(attempt: number): number {
    const exp = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + (this.opts.random() * exp) / 2);
  }

  pending(): number {
    return this.inFlight.size;
  }

  /** Submits; a second call for the same assignment while the first runs joins it. */
  submit(s: Submission): Promise<SubmitOutcome> {
    const running = this.inFlight.get(String(s.assignmentId));
    if (running) return running;
    const p = this.deliver(s).finally(() => this.inFlight.delete(String(s.assignmentId)));
    this.inFlight.set(String(s.assignmentId), p);
    return p;
  }

  private async deliver(s: Submission): Promise<SubmitOutcome> {
    const { onState } = this.opts;
    for (let attempt = 1; ; attempt++) {
      onState?.(s.assignmentId, attempt === 1 ? 'saving' : 'retrying', attempt);
      let res: Response | null = null;
      try {
        res = await this.opts.send(s);
      } catch {
        res = null; // network error: the request may or may not have arrived; the key makes a retry safe
      }
      if (res && res.ok) {
        const reply = (await res.json().catch(() => null)) as SubmittedAndNext | null;
        onState?.(s.assignmentId, 'saved', attempt);
        // An unreadable body still means "stored": the status says so. The page then asks for its next task itself.
        return {
          ok: true,
          result: reply?.submitted ?? { answerId: '', assignmentId: s.assignmentId, duplicate: false },
          next: reply?.next ?? null,
          nextState: reply?.nextState ?? 'ask-again',
        };
      }
      if (res && !isRetriable(res.status)) {
        onState?.(s.assignmentId, 'failed', attempt);
        return { ok: false, problem: await problemOf(res) };
      }
      onState?.(s.assignmentId, 'retrying', attempt);
      await this.opts.sleep(this.delay(attempt), this.wakePromise);
    }
  }
}
