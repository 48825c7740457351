// The rules of the organisation and token forms, apart from their pages so that they are tested directly.

/** The address an invitee opens: the sign-up page, which also lets a signed-in account accept. */
export function invitationLink(origin: string, token: string): string {
  return `${origin}/signup?invitation=${encodeURIComponent(token)}`;
}

/** The invitation token of a page address (`?invitation=…`), or null. */
export function invitationOf(search: string): string | null {
  const token = new URLSearchParams(search).get('invitation');
  return token && token.trim() ? token.trim() : null;
}

export type ProjectIds = { ids: number[] } | { bad: string };

/** Project ids typed as "3, 5 8": every one a positive whole number; none for every project. */
export function parseProjectIds(text: string): ProjectIds {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  for (const p of parts) if (!/^[1-9]\d{0,9}$/.test(p)) return { bad: p };
  return { ids: [...new Set(parts.map(Number))] };
}

export type TokenScope = 'full' | 'read-only';

export interface TokenForm {
  name: string;
  days: string;
  scope: TokenScope;
  projects: string;
}

export interface TokenRequest {
  name: string;
  expiresAt: string;
  scope: TokenScope;
  projectIds?: number[];
}

/** The request the token form sends, or the name of the field that is wrong. */
export function tokenRequest(form: TokenForm, now: Date): TokenRequest | { badField: 'days' | 'projects' } {
  const days = Number(form.days);
  if (!Number.isInteger(days) || days < 1) return { badField: 'days' };
  const projects = parseProjectIds(form.projects);
  if ('bad' in projects) return { badField: 'projects' };
  const expiresAt = new Date(now.getTime() + days * 86_400_000).toISOString();
  return { name: form.name.trim(), expiresAt, scope: form.scope, ...(projects.ids.length ? { projectIds: projects.ids } : {}) };
}

export function isExpired(expiresAt: string | null, now: Date): boolean {
  return expiresAt !== null && new Date(expiresAt).getTime() <= now.getTime();
}
