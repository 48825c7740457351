import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import TaskPage from '../src/task/TaskPage';
import type { Task, WorkProjectDetail } from '../src/types';
import { flush, mount, press } from './helpers';

const project: WorkProjectDetail = {
  id: 'p1',
  name: 'Sentiment',
  description: '',
  guidelines: '# Label the sentiment\n\nPick **one**.',
  payPerTask: 0.12,
  currency: 'USD',
  estimatedSeconds: 20,
  hourlyRate: 21.6,
  template: {
    fields: [{ id: 'text', type: 'text', label: 'Text', source: 'text' }],
    questions: [
      { id: 'label', type: 'single_choice', prompt: 'Sentiment', options: [{ value: 'pos', label: 'Positive' }, { value: 'neu', label: 'Neutral' }, { value: 'neg', label: 'Negative' }] },
    ],
  },
};

const task = (n: number): Task => ({
  assignmentId: `asg-${n}`,
  projectId: 'p1',
  itemId: `item-${n}`,
  data: { text: `Item number ${n}` },
  leasedAt: '2026-01-01T00:00:00Z',
  expiresAt: '2026-01-01T00:10:00Z',
  payRate: 0.12,
  currency: 'USD',
});

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeServer(opts: { tasks: Task[]; leases?: Task[]; submitFailures?: number; nextUnavailable?: number; replyNext?: Task }) {
  const calls: Call[] = [];
  const queue = [...opts.tasks];
  let failures = opts.submitFailures ?? 0;
  let unavailable = opts.nextUnavailable ?? 0;
  let replyNext = opts.replyNext; // the first reply's next task only
  const acked = new Map<string, string>();
  const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push({ method, url, headers, body: init.body ? JSON.parse(init.body as string) : undefined });
    const ok = (b: unknown) => new Response(JSON.stringify(b), { status: 200, headers: { 'Content-Type': 'application/json' } });
    if (method === 'GET' && url === '/api/work/projects/p1') return ok(project);
    if (method === 'GET' && url === '/api/work/projects/p1/tasks') return ok(opts.leases ?? []);
    if (method === 'POST' && url === '/api/work/projects/p1/tasks/next') {
      if (unavailable-- > 0) {
        const problem = { status: 503, title: 'Tasks are being taken fast right now', detail: 'Ask again in a moment.' };
        return new Response(JSON.stringify(problem), { status: 503, headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '1' } });
      }
      const next = queue.shift();
      return next ? ok(next) : new Response(null, { status: 204 });
    }
    const m = /^\/api\/work\/tasks\/([^/]+)\/(submit-and-next|skip)$/.exec(url);
    if (method === 'POST' && m) {
      if (m[2] === 'skip') return new Response(null, { status: 204 });
      if (failures-- > 0) throw new TypeError('Failed to fetch');
      const duplicate = acked.has(m[1]);
      acked.set(m[1], headers['Idempotency-Key']);
      const next = replyNext ?? (duplicate ? null : (queue.shift() ?? null));
      replyNext = undefined;
      const submitted = { answerId: `ans-${m[1]}`, assignmentId: m[1], duplicate };
      return ok({ submitted, next, nextState: next ? 'leased' : 'none-left' });
    }
    return new Response(JSON.stringify({ title: 'Not found' }), { status: 404 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, submits: () => calls.filter((c) => c.url.endsWith('/submit-and-next')) };
}

let unmount: (() => void) | null = null;
beforeEach(() => localStorage.clear());
afterEach(() => {
  unmount?.();
  unmount = null;
  vi.unstubAllGlobals();
});

async function open() {
  const m = mount(<TaskPage projectId="p1" retryDelayMs={0} />);
  unmount = m.unmount;
  await flush();
  await flush();
  return m.root;
}

const shownItem = (root: HTMLElement) => root.querySelector('.field .plain')?.textContent;

describe('task page', () => {
  it('shows the task with its pay, guidelines and shortcuts, and prefetches the next one', async () => {
    const server = fakeServer({ tasks: [task(1), task(2), task(3)] });
    const root = await open();
    expect(shownItem(root)).toBe('Item number 1');
    expect(root.querySelector('[data-testid=task-pay]')?.textContent).toBe('$0.12');
    expect(root.querySelector('.guidelines h1')?.textContent).toBe('Label the sentiment');
    expect(root.querySelector('.shortcuts')?.textContent).toContain('skip');
    expect(server.calls.filter((c) => c.url.endsWith('/tasks/next'))).toHaveLength(2);
  });

  it('answers with number keys, submits with Enter, and moves to the prefetched task', async () => {
    const server = fakeServer({ tasks: [task(1), task(2), task(3)] });
    const root = await open();
    press('2');
    expect((root.querySelectorAll('input[type=radio]')[1] as HTMLInputElement).checked).toBe(true);
    press('Enter');
    await flush();
    const [submit] = server.submits();
    expect(submit.url).toBe('/api/work/tasks/asg-1/submit-and-next');
    expect(submit.body).toMatchObject({ answer: { label: 'neu' } });
    expect(typeof (submit.body as { activeSeconds: number }).activeSeconds).toBe('number');
    expect(submit.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(shownItem(root)).toBe('Item number 2');
    expect(root.querySelector('[data-testid=session-done]')?.textContent).toContain('1');
    expect(root.querySelector('[data-testid=save-state]')?.textContent).toBe('Saved');
  });

  it('takes each next task from the submission\'s reply: one request per task once the page is filled', async () => {
    const server = fakeServer({ tasks: [1, 2, 3, 4, 5].map(task) });
    const root = await open();
    const nextCalls = () => server.calls.filter((c) => c.url.endsWith('/tasks/next')).length;
    expect(nextCalls()).toBe(2); // the task on screen and the prefetched one
    for (const shown of [2, 3, 4, 5]) {
      press('1');
      press('Enter');
      await flush();
      expect(shownItem(root)).toBe(`Item number ${shown}`);
    }
    expect(server.submits()).toHaveLength(4);
    expect(nextCalls()).toBe(2);
    press('1');
    press('Enter');
    await flush();
    await flush();
    expect(root.querySelector('#empty-title')?.textContent).toBe('No tasks left for you here');
    expect(root.querySelector('[data-testid=session-done]')?.textContent).toBe('5 · $0.60');
  });

  it('does not show a task twice when a reply names one the page already holds (a retried submission)', async () => {
    // The server answers a retry whose first reply was lost with the tasker's newest live lease,
    // which can be the task already prefetched here.
    const server = fakeServer({ tasks: [task(3)], leases: [task(1), task(2)], replyNext: task(2) });
    const root = await open();
    expect(shownItem(root)).toBe('Item number 1');
    press('1');
    press('Enter');
    await flush();
    expect(shownItem(root)).toBe('Item number 2');
    await flush();
    press('1');
    press('Enter');
    await flush();
    expect(shownItem(root)).toBe('Item number 3');
    expect(server.calls.filter((c) => c.url.endsWith('/tasks/next'))).toHaveLength(1);
  });

  it('asks again when the server says to retry in a moment, and says so only if it keeps saying it', async () => {
    const server = fakeServer({ tasks: [task(1), task(2)], nextUnavailable: 2 });
    const root = await open();
    await flush();
    expect(shownItem(root)).toBe('Item number 1');
    expect(root.textContent).not.toContain('Tasks are being taken fast');
    expect(server.calls.filter((c) => c.url.endsWith('/tasks/next')).length).toBeGreaterThanOrEqual(3);
  });

  it('shows the problem when the server keeps answering 503', async () => {
    fakeServer({ tasks: [task(1)], nextUnavailable: 10 });
    const root = await open();
    await flush();
    await flush();
    expect(shownItem(root)).toBeUndefined();
    expect(root.textContent).toContain('Tasks are being taken fast right now');
  });

  it('refuses to submit an unanswered required question and says why', async () => {
    const server = fakeServer({ tasks: [task(1), task(2)] });
    const root = await open();
    press('Enter');
    await flush();
    expect(server.submits()).toHaveLength(0);
    expect(root.querySelector('.question .error')?.textContent).toBe('This question needs an answer.');
  });

  it('retries a dropped submission with the same idempotency key and counts it once', async () => {
    const server = fakeServer({ tasks: [task(1), task(2)], submitFailures: 2 });
    const root = await open();
    press('1');
    press('Enter');
    await flush();
    expect(root.querySelector('[data-testid=save-state]')?.textContent).toBe('Offline, retrying…');
    window.dispatchEvent(new Event('online'));
    await flush();
    window.dispatchEvent(new Event('online'));
    await flush();
    const submits = server.submits();
    expect(submits).toHaveLength(3);
    expect(new Set(submits.map((s) => s.headers['Idempotency-Key'])).size).toBe(1);
    expect(root.querySelector('[data-testid=save-state]')?.textContent).toBe('Saved');
    expect(root.querySelector('[data-testid=session-done]')?.textContent).toBe('1 · $0.12');
  });

  it('skips with S and shows the empty state when no work is left', async () => {
    const server = fakeServer({ tasks: [task(1)] });
    const root = await open();
    press('s');
    await flush();
    await flush();
    expect(server.calls.some((c) => c.url === '/api/work/tasks/asg-1/skip')).toBe(true);
    expect(root.querySelector('#empty-title')?.textContent).toBe('No tasks left for you here');
  });

  it('resumes live leases after a reload and restores the autosaved draft', async () => {
    fakeServer({ tasks: [], leases: [task(7)] });
    localStorage.setItem(
      'fairlabel.draft.asg-7',
      JSON.stringify({ assignmentId: 'asg-7', projectId: 'p1', idempotencyKey: 'k7', values: { label: 'neg' }, activeSeconds: 4, updatedAt: Date.now() }),
    );
    const root = await open();
    expect(shownItem(root)).toBe('Item number 7');
    expect((root.querySelectorAll('input[type=radio]')[2] as HTMLInputElement).checked).toBe(true);
  });

  it('resends a submission that a reload interrupted, with its original key', async () => {
    const server = fakeServer({ tasks: [task(8)], leases: [] });
    localStorage.setItem(
      'fairlabel.draft.asg-5',
      JSON.stringify({ assignmentId: 'asg-5', projectId: 'p1', idempotencyKey: 'k5', values: {}, activeSeconds: 3, submitted: { answer: { label: 'pos' }, activeSeconds: 3 }, updatedAt: Date.now() }),
    );
    await open();
    const [resent] = server.submits();
    expect(resent.url).toBe('/api/work/tasks/asg-5/submit-and-next');
    expect(resent.headers['Idempotency-Key']).toBe('k5');
    expect(resent.body).toEqual({ answer: { label: 'pos' }, activeSeconds: 3 });
    await flush();
    expect(localStorage.getItem('fairlabel.draft.asg-5')).toBeNull();
  });
});
