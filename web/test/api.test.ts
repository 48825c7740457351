import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, problemOf, readCookie, request, requestHeaders } from '../src/api';

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
});

describe('antiforgery', () => {
  it('reads a cookie by name', () => {
    expect(readCookie('XSRF-TOKEN', 'a=1; XSRF-TOKEN=abc%3D%3D; b=2')).toBe('abc==');
    expect(readCookie('missing', 'a=1')).toBeNull();
  });

  it('echoes XSRF-TOKEN on POST, PUT and DELETE only', () => {
    document.cookie = 'XSRF-TOKEN=tok123; path=/';
    expect(requestHeaders('POST')['X-XSRF-TOKEN']).toBe('tok123');
    expect(requestHeaders('PUT')['X-XSRF-TOKEN']).toBe('tok123');
    expect(requestHeaders('DELETE')['X-XSRF-TOKEN']).toBe('tok123');
    expect(requestHeaders('GET')['X-XSRF-TOKEN']).toBeUndefined();
  });
});

describe('request', () => {
  it('sends JSON and parses the reply', async () => {
    document.cookie = 'XSRF-TOKEN=t1; path=/';
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ id: 'p1' }), { status: 201 }));
    vi.stubGlobal('fetch', fetchMock);
    const out = await request<{ id: string }>('POST', '/api/projects', { name: 'x' });
    expect(out).toEqual({ id: 'p1' });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/projects');
    expect(init.body).toBe('{"name":"x"}');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect((init.headers as Record<string, string>)['X-XSRF-TOKEN']).toBe('t1');
  });

  it('returns null for 204', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
    expect(await request('POST', '/api/work/projects/p/tasks/next')).toBeNull();
  });

  it('throws the problem details of an error', async () => {
    const body = { status: 400, title: 'The template is not valid', errors: { 'questions[2].options': ['needs at least two options'] } };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status: 400, headers: { 'Content-Type': 'application/problem+json' } })));
    const err = await request('POST', '/api/projects', {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.problem.errors).toEqual(body.errors);
    expect(err.problem.title).toBe('The template is not valid');
  });

  it('makes a problem of a reply that is not JSON', async () => {
    const p = await problemOf(new Response('oops', { status: 502, statusText: 'Bad Gateway' }));
    expect(p).toEqual({ status: 502, title: 'Bad Gateway', detail: undefined, errors: undefined });
  });
});
