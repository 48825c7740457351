import { afterEach, describe, expect, it, vi } from 'vitest';
import { invitationLink, invitationOf, isExpired, parseProjectIds, tokenRequest } from '../src/account/access';
import Signup from '../src/pages/Signup';
import { click, flush, mount, typeInto } from './helpers';

describe('invitation links', () => {
  it('carry the token to the sign-up page and back', () => {
    const link = invitationLink('https://labels.example.org', 'fli_ab+c/d');
    expect(link).toBe('https://labels.example.org/signup?invitation=fli_ab%2Bc%2Fd');
    expect(invitationOf(new URL(link).search)).toBe('fli_ab+c/d');
    expect(invitationOf('')).toBeNull();
    expect(invitationOf('?invitation=%20')).toBeNull();
  });
});

describe('the token form', () => {
  const now = new Date('2026-12-01T12:00:00Z');

  it('reads project ids separated by commas or spaces, each a positive whole number', () => {
    expect(parseProjectIds('3, 5 8,,3')).toEqual({ ids: [3, 5, 8] });
    expect(parseProjectIds('  ')).toEqual({ ids: [] });
    expect(parseProjectIds('3, x')).toEqual({ bad: 'x' });
    expect(parseProjectIds('0')).toEqual({ bad: '0' });
    expect(parseProjectIds('-2')).toEqual({ bad: '-2' });
    expect(parseProjectIds('1.5')).toEqual({ bad: '1.5' });
  });

  it('sends an expiry that many days ahead, the scope, and projects only when some are named', () => {
    expect(tokenRequest({ name: ' nightly ', days: '30', scope: 'read-only', projects: '' }, now)).toEqual({
      name: 'nightly',
      expiresAt: '2026-12-31T12:00:00.000Z',
      scope: 'read-only',
    });
    expect(tokenRequest({ name: 'x', days: '1', scope: 'full', projects: '7' }, now)).toMatchObject({ projectIds: [7] });
    expect(tokenRequest({ name: 'x', days: '0', scope: 'full', projects: '' }, now)).toEqual({ badField: 'days' });
    expect(tokenRequest({ name: 'x', days: '2.5', scope: 'full', projects: '' }, now)).toEqual({ badField: 'days' });
    expect(tokenRequest({ name: 'x', days: '3', scope: 'full', projects: 'seven' }, now)).toEqual({ badField: 'projects' });
  });

  it('tells expired tokens apart', () => {
    expect(isExpired('2026-12-01T12:00:00Z', now)).toBe(true);
    expect(isExpired('2026-12-01T12:00:01Z', now)).toBe(false);
    expect(isExpired(null, now)).toBe(false);
  });
});

describe('signing up with an invitation', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    history.replaceState(null, '', '/');
  });

  it('names the organisation, fills the invited address, sends the invitation instead of an organisation, then logs in', async () => {
    history.replaceState(null, '', '/signup?invitation=fli_secret');
    const sent: { url: string; body: unknown }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        sent.push({ url, body: init.body ? JSON.parse(init.body as string) : null });
        const body = url === '/api/invitations/preview'
          ? { organisation: 'FutureCorp', email: 'ceo@futurecorp.test', role: 'owner', expiresAt: '2026-12-08T00:00:00Z' }
          : { id: 1, email: 'ceo@futurecorp.test', displayName: 'Ceo', role: 'requester', organisation: { id: 4, name: 'FutureCorp' }, country: null, languages: [], expertise: [] };
        return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
      }),
    );
    const m = mount(<Signup />);
    await flush();
    expect(m.root.querySelector('[data-testid="invited"]')!.textContent).toContain('FutureCorp as owner');
    expect((m.root.querySelector('#su-email') as HTMLInputElement).value).toBe('ceo@futurecorp.test');
    expect(m.root.querySelector('#su-org')).toBeNull();
    expect(m.root.querySelector('input[name="role"]')).toBeNull();

    typeInto(m.root.querySelector('#su-name'), 'Ceo');
    typeInto(m.root.querySelector('#su-password'), 'correct horse battery');
    click(m.root.querySelector('button[type="submit"]'));
    await flush();
    // Sign-up signs nobody in: the page logs in next with the same address and password.
    expect(sent.slice(-2)).toEqual([
      {
        url: '/api/auth/signup',
        body: { email: 'ceo@futurecorp.test', password: 'correct horse battery', displayName: 'Ceo', role: 'requester', invitation: 'fli_secret' },
      },
      { url: '/api/auth/login', body: { email: 'ceo@futurecorp.test', password: 'correct horse battery' } },
    ]);
    m.unmount();
  });
});
