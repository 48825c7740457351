// HTTP client for the Fairlabel API (docs/api.md): JSON, problem details, antiforgery.

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.title);
    this.status = problem.status;
    this.problem = problem;
  }
}

export function readCookie(name: string, cookies: string = document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

const unsafe = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/** Headers every request carries; unsafe methods echo the XSRF-TOKEN cookie. */
export function requestHeaders(method: string, extra?: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...extra };
  if (unsafe.has(method.toUpperCase())) {
    const token = readCookie('XSRF-TOKEN');
    if (token) headers['X-XSRF-TOKEN'] = token;
  }
  return headers;
}

export async function problemOf(res: Response): Promise<Problem> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON: fall back to the status line */
  }
  const b = (body ?? {}) as Partial<Problem>;
  return {
    status: res.status,
    title: typeof b.title === 'string' ? b.title : res.statusText || `HTTP ${res.status}`,
    detail: typeof b.detail === 'string' ? b.detail : undefined,
    errors: b.errors && typeof b.errors === 'object' ? b.errors : undefined,
  };
}

let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Sends a request; resolves to the parsed JSON (or null for 204), throws ApiError otherwise. */
export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  const headers = requestHeaders(method, opts.headers);
  if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : isForm ? (body as FormData) : JSON.stringify(body),
    signal: opts.signal,
  });
  if (res.status === 401 && onUnauthorized && !path.startsWith('/api/auth/')) onUnauthorized();
  if (!res.ok) throw new ApiError(await problemOf(res));
  if (res.status === 204 || res.status === 202 && res.headers.get('Content-Length') === '0') return null as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

export const get = <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts);
export const post = <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body, opts);
export const put = <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, body, opts);
export const del = <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts);
