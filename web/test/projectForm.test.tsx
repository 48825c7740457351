import { afterEach, describe, expect, it, vi } from 'vitest';
import ProjectForm from '../src/requester/ProjectForm';
import type { Project } from '../src/types';
import { flush, mount, typeInto } from './helpers';

interface Call {
  method: string;
  url: string;
  body: unknown;
}

const saved: Project = {
  id: 7,
  name: 'Tickets',
  description: 'Route tickets',
  guidelines: '',
  template: { fields: [{ id: 'text', type: 'text', source: 'text' }], questions: [{ id: 'q', type: 'single_choice', prompt: 'Q', options: [{ value: 'a' }, { value: 'b' }] }] },
  overlap: 3,
  payPerTask: 0.12,
  currency: 'USD',
  estimatedSeconds: 20,
  aggregation: 'glad',
  status: 'draft',
  createdAt: '2026-01-01T00:00:00Z',
  hourlyRate: 21.6,
};

function fakeServer() {
  const calls: Call[] = [];
  vi.stubGlobal('scrollTo', () => {});
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      calls.push({ method, url, body: init.body ? JSON.parse(init.body as string) : undefined });
      return new Response(JSON.stringify(saved), { status: method === 'POST' ? 201 : 200, headers: { 'Content-Type': 'application/json' } });
    }),
  );
  return calls;
}

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
  vi.unstubAllGlobals();
});

function select(root: HTMLElement) {
  return root.querySelector('#pf-aggregation') as HTMLSelectElement;
}

function submit(root: HTMLElement) {
  root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

describe('ProjectForm aggregation', () => {
  it('offers every method, explains the chosen one and sends auto by default', async () => {
    const calls = fakeServer();
    const m = mount(<ProjectForm />);
    unmount = m.unmount;
    const el = select(m.root);
    expect(m.root.querySelector('label[for="pf-aggregation"]')!.textContent).toBe('Label aggregation');
    expect([...el.options].map((o) => o.value)).toEqual(['auto', 'mv', 'wawa', 'ds', 'onecoin-ds', 'glad', 'mace']);
    expect(el.value).toBe('auto');
    expect(m.root.querySelector('[data-testid="aggregation-hint"]')!.textContent).toContain('50 answered items and 200 answers');

    typeInto(m.root.querySelector('#pf-name'), 'Tickets');
    submit(m.root);
    await flush();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe('/api/projects');
    expect((post.body as { aggregation: string }).aggregation).toBe('auto');
  });

  it('sends the method the requester chose', async () => {
    const calls = fakeServer();
    const m = mount(<ProjectForm />);
    unmount = m.unmount;
    typeInto(m.root.querySelector('#pf-name'), 'Tickets');
    const el = select(m.root);
    el.value = 'mace';
    el.dispatchEvent(new Event('change', { bubbles: true }));
    await flush();
    expect(m.root.querySelector('[data-testid="aggregation-hint"]')!.textContent).toContain('at random');
    submit(m.root);
    await flush();
    expect(calls.find((c) => c.method === 'POST')!.body).toMatchObject({ name: 'Tickets', aggregation: 'mace' });
  });

  it('loads the saved method when editing and sends it back with the changes', async () => {
    const calls = fakeServer();
    const m = mount(<ProjectForm projectId="7" />);
    unmount = m.unmount;
    await flush();
    expect(select(m.root).value).toBe('glad');
    submit(m.root);
    await flush();
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.url).toBe('/api/projects/7');
    expect(put.body).toMatchObject({ name: 'Tickets', aggregation: 'glad' });
  });
});
