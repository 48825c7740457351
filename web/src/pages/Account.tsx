// The signed-in user's own security: where they are signed in, their password, their API tokens,
// failed attempts.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post } from '../api';
import { fieldErrors, ProblemView } from '../components/ProblemView';
import { TextField } from '../components/TextField';
import { useAction } from '../components/useAction';
import { dateTime } from '../format';
import { t } from '../i18n';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import type { ApiTokenSummary, FailedLoginSummary, SessionSummary } from '../types';

export default function Account() {
  return (
    <div class="narrow">
      <h1>{t('account.title')}</h1>
      <Sessions />
      <PasswordChange />
      <Tokens />
      <FailedLogins />
    </div>
  );
}

function Sessions() {
  const { setMe } = useSession();
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const { busy, problem, run } = useAction();
  const load = () => run(async () => setSessions(await get<SessionSummary[]>('/api/me/sessions')));
  useEffect(() => void load(), []);

  const signOut = (id: number) =>
    run(async () => {
      await del(`/api/me/sessions/${id}`);
      setSessions(await get<SessionSummary[]>('/api/me/sessions'));
    });
  const everywhere = () =>
    run(async () => {
      await del('/api/me/sessions');
      setMe(null);
      navigate('/login');
    });

  return (
    <section class="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('account.sessions')}</h2>
      <p class="hint">{t('account.sessionsHint')}</p>
      {problem && <ProblemView problem={problem} />}
      {sessions && (
        <ul class="plain-list">
          {sessions.map((s) => (
            <li key={s.id}>
              <strong>{s.userAgent ?? t('account.unknownBrowser')}</strong>
              {s.current && <span class="muted"> · {t('account.thisBrowser')}</span>}
              <br />
              <span class="muted">
                {t('account.since', { at: dateTime(s.createdAt) })} · {t('account.lastSeen', { at: dateTime(s.lastSeenAt) })}
                {s.address && <> · {t('account.from', { address: s.address })}</>}
              </span>{' '}
              {!s.current && (
                <button type="button" class="link" disabled={busy} onClick={() => void signOut(s.id)}>
                  {t('account.signOut')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => void everywhere()}>
          {t('account.signOutEverywhere')}
        </button>
      </div>
    </section>
  );
}

function PasswordChange() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [done, setDone] = useState(false);
  const { busy, problem, run } = useAction();
  const onSubmit = (e: Event) => {
    e.preventDefault();
    setDone(false);
    void run(async () => {
      await post('/api/me/password', { currentPassword, newPassword });
      setCurrent('');
      setNew('');
      setDone(true);
    });
  };
  return (
    <form class="card" onSubmit={onSubmit} aria-labelledby="password-title">
      <h2 id="password-title">{t('account.password')}</h2>
      <p class="hint">{t('account.passwordHint')}</p>
      {problem && <ProblemView problem={problem} skip={['currentPassword', 'newPassword']} />}
      {done && <p role="status">{t('account.passwordChanged')}</p>}
      <TextField id="pw-current" label={t('account.currentPassword')} type="password" autoComplete="current-password" required
        value={currentPassword} onValue={setCurrent} errors={fieldErrors(problem, 'currentPassword')} />
      <TextField id="pw-new" label={t('account.newPassword')} type="password" autoComplete="new-password" required minLength={12}
        value={newPassword} onValue={setNew} hint={t('signup.passwordHint')} errors={fieldErrors(problem, 'newPassword')} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('account.changePassword')}
        </button>
      </div>
    </form>
  );
}

/** A password change leaves API tokens working (scripts run on): they are listed here, with one
 * button that revokes them all should the password have leaked with them. */
function Tokens() {
  const [tokens, setTokens] = useState<ApiTokenSummary[] | null>(null);
  const [revoked, setRevoked] = useState<number | null>(null);
  const { busy, problem, run } = useAction();
  useEffect(() => void run(async () => setTokens(await get<ApiTokenSummary[]>('/api/me/tokens'))), []);
  const revokeAll = () =>
    run(async () => {
      const result = await del<{ revoked: number }>('/api/me/tokens');
      setRevoked(result.revoked);
      setTokens(await get<ApiTokenSummary[]>('/api/me/tokens'));
    });
  return (
    <section class="card" aria-labelledby="account-tokens-title">
      <h2 id="account-tokens-title">{t('account.tokens')}</h2>
      <p class="hint">{t('account.tokensHint')}</p>
      {problem && <ProblemView problem={problem} />}
      {revoked !== null && <p role="status">{t('account.tokensRevoked', { count: revoked })}</p>}
      {tokens && tokens.length === 0 && <p>{t('tokens.none')}</p>}
      {tokens && tokens.length > 0 && (
        <ul class="plain-list" data-testid="account-tokens">
          {tokens.map((tk) => (
            <li key={tk.id}>
              <strong>{tk.name}</strong> <span class="muted">· {tk.prefix}… · {dateTime(tk.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" disabled={busy || !tokens || tokens.length === 0} onClick={() => void revokeAll()}>
          {t('account.revokeAllTokens')}
        </button>
        <Link href="/tokens">{t('account.manageTokens')}</Link>
      </div>
    </section>
  );
}

function FailedLogins() {
  const [failed, setFailed] = useState<FailedLoginSummary[] | null>(null);
  const { problem, run } = useAction();
  useEffect(() => void run(async () => setFailed(await get<FailedLoginSummary[]>('/api/me/failed-logins'))), []);
  return (
    <section class="card" aria-labelledby="failed-title">
      <h2 id="failed-title">{t('account.failedLogins')}</h2>
      <p class="hint">{t('account.failedLoginsHint')}</p>
      {problem && <ProblemView problem={problem} />}
      {failed && failed.length === 0 && <p>{t('account.noFailedLogins')}</p>}
      {failed && failed.length > 0 && (
        <ul class="plain-list">
          {failed.map((f, i) => (
            <li key={i}>
              {dateTime(f.at)} · {t(`account.failedKind.${f.kind}`)}
              {f.address && <> · {t('account.from', { address: f.address })}</>}
              {f.userAgent && <span class="muted"> · {f.userAgent}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
