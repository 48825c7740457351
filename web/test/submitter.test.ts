import { describe, expect, it, vi } from 'vitest';
import { isRetriable, Submitter, type Submission, type SubmitState } from '../src/task/submitter';

const submission: Submission = { assignmentId: 'asg-1', idempotencyKey: 'key-1', answer: { topic: 'sports' }, activeSeconds: 12 };

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
const ack = (duplicate = false) =>
  json(200, { submitted: { answerId: 'ans-1', assignmentId: 'asg-1', duplicate }, next: null, nextState: 'none-left' });

function setup(responses: Array<Response | Error>) {
  const sent: Submission[] = [];
  const delays: number[] = [];
  const states: SubmitState[] = [];
  const send = vi.fn(async (s: Submission) => {
    sent.push(structuredClone(s));
    const r = responses.shift();
    if (!r) throw new Error('no more responses');
    if (r instanceof Error) throw r;
    return r;
  });
  const submitter = new Submitter({
    send,
    sleep: async (ms) => void delays.push(ms),
    onState: (_id, s) => states.push(s),
    random: () => 1,
  });
  return { submitter, send, sent, delays, states };
}

describe('Submitter', () => {
  it('sends once and reports saving then saved', async () => {
    const s = setup([ack()]);
    const out = await s.submitter.submit(submission);
    expect(out).toEqual({ ok: true, result: { answerId: 'ans-1', assignmentId: 'asg-1', duplicate: false }, next: null, nextState: 'none-left' });
    expect(s.send).toHaveBeenCalledTimes(1);
    expect(s.states).toEqual(['saving', 'saved']);
  });

  it('passes on the next task that came with the acknowledgement', async () => {
    const next = { assignmentId: 'asg-2', projectId: 'p1', itemId: 'i2', data: {}, leasedAt: '', expiresAt: '', payRate: 0.1, currency: 'EUR' };
    const s = setup([json(200, { submitted: { answerId: 'ans-1', assignmentId: 'asg-1', duplicate: false }, next, nextState: 'leased' })]);
    const out = await s.submitter.submit(submission);
    expect(out).toMatchObject({ ok: true, next, nextState: 'leased' });
  });

  it('retries network errors and 5xx with the same idempotency key and body until acknowledged', async () => {
    const s = setup([new TypeError('Failed to fetch'), json(503, { title: 'Database unavailable' }), json(502, {}), ack(true)]);
    const out = await s.submitter.submit(submission);
    expect(out.ok).toBe(true);
    expect(s.send).toHaveBeenCalledTimes(4);
    expect(new Set(s.sent.map((x) => x.idempotencyKey))).toEqual(new Set(['key-1']));
    expect(s.sent.every((x) => JSON.stringify(x) === JSON.stringify(submission))).toBe(true);
    expect(s.states).toContain('retrying');
    expect(s.states.at(-1)).toBe('saved');
  });

  it('backs off exponentially up to a cap', async () => {
    const s = setup([...Array.from({ length: 8 }, () => new TypeError('offline')), ack()]);
    await s.submitter.submit(submission);
    expect(s.delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('adds jitter between half and all of the delay', () => {
    const low = new Submitter({ random: () => 0 });
    const high = new Submitter({ random: () => 1 });
    expect(low.delay(3)).toBe(2000);
    expect(high.delay(3)).toBe(4000);
  });

  it('stops on a client error and returns the problem, without retrying', async () => {
    const s = setup([json(400, { title: 'The answer is not valid', errors: { topic: ['not an option'] } })]);
    const out = await s.submitter.submit(submission);
    expect(out).toEqual({ ok: false, problem: { status: 400, title: 'The answer is not valid', detail: undefined, errors: { topic: ['not an option'] } } });
    expect(s.send).toHaveBeenCalledTimes(1);
    expect(s.states.at(-1)).toBe('failed');
  });

  it('never has two requests in flight for one assignment: a second submit joins the first', async () => {
    let release!: (r: Response) => void;
    const send = vi.fn(() => new Promise<Response>((resolve) => (release = resolve)));
    const submitter = new Submitter({ send });
    const first = submitter.submit(submission);
    const second = submitter.submit({ ...submission, idempotencyKey: 'other' });
    expect(second).toBe(first);
    expect(submitter.pending()).toBe(1);
    release(ack());
    await first;
    expect(send).toHaveBeenCalledTimes(1);
    expect(submitter.pending()).toBe(0);
  });

  it('retries at once when told the connection is back', async () => {
    let calls = 0;
    const send = vi.fn(async () => (++calls === 1 ? Promise.reject(new TypeError('offline')) : ack()));
    const states: SubmitState[] = [];
    const submitter = new Submitter({ send, baseDelayMs: 60_000, onState: (_id, s) => states.push(s) });
    const p = submitter.submit(submission);
    await vi.waitFor(() => expect(states).toContain('retrying'));
    submitter.retryNow();
    const out = await p;
    expect(out.ok).toBe(true);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('classifies which statuses are retried', () => {
    expect([500, 502, 503, 408, 429].every(isRetriable)).toBe(true);
    expect([400, 401, 403, 404, 409, 422].some(isRetriable)).toBe(false);
  });
});
