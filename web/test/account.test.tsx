import { afterEach, describe, expect, it, vi } from 'vitest';
import Account from '../src/pages/Account';
import { click, flush, mount } from './helpers';

describe('the account page', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists the API tokens a password change leaves working, and revokes them all with one click', async () => {
    let tokens = [
      { id: 1, name: 'nightly export', prefix: 'fl_ab12', createdAt: '2026-12-01T08:00:00Z', expiresAt: null, scope: 'full', projectIds: null },
      { id: 2, name: 'dashboard', prefix: 'fl_cd34', createdAt: '2026-12-02T08:00:00Z', expiresAt: null, scope: 'read-only', projectIds: null },
    ];
    const sent: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        sent.push(`${init.method} ${url}`);
        let body: unknown = [];
        if (url === '/api/me/tokens' && init.method === 'DELETE') {
          body = { revoked: tokens.length };
          tokens = [];
        } else if (url === '/api/me/tokens') body = tokens;
        return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
      }),
    );
    const m = mount(<Account />);
    await flush();
    const listed = m.root.querySelector('[data-testid="account-tokens"]')!;
    expect(listed.textContent).toContain('nightly export');
    expect(listed.textContent).toContain('dashboard');
    expect(m.root.textContent).toContain('Changing your password does not revoke them');

    const revokeAll = [...m.root.querySelectorAll('button')].find((b) => b.textContent === 'Revoke all tokens')!;
    click(revokeAll);
    await flush();
    expect(sent).toContain('DELETE /api/me/tokens');
    expect(m.root.querySelector('[role="status"]')!.textContent).toBe('2 tokens revoked.');
    expect(m.root.querySelector('[data-testid="account-tokens"]')).toBeNull();
    expect(revokeAll.disabled).toBe(true);
    m.unmount();
  });
});
