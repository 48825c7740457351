// API tokens of the signed-in user: made with an expiry and a scope, shown once, revoked here.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post } from '../api';
import { fieldErrors, ProblemView } from '../components/ProblemView';
import { TextField } from '../components/TextField';
import { useAction } from '../components/useAction';
import { dateTime } from '../format';
import { t } from '../i18n';
import type { ApiTokenSummary, NewApiToken } from '../types';
import { isExpired, tokenRequest, type TokenScope } from './access';

export default function Tokens() {
  const [tokens, setTokens] = useState<ApiTokenSummary[] | null>(null);
  const [made, setMade] = useState<NewApiToken | null>(null);
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [scope, setScope] = useState<TokenScope>('full');
  const [projects, setProjects] = useState('');
  const [badField, setBadField] = useState<'days' | 'projects' | null>(null);
  const { busy, problem, run, fail } = useAction();

  const load = () => void get<ApiTokenSummary[]>('/api/me/tokens').then(setTokens, fail);
  useEffect(load, []);

  const create = (e: Event) => {
    e.preventDefault();
    const request = tokenRequest({ name, days, scope, projects }, new Date());
    if ('badField' in request) {
      setBadField(request.badField);
      return;
    }
    setBadField(null);
    void run(async () => {
      setMade(await post<NewApiToken>('/api/me/tokens', request));
      setName('');
      load();
    });
  };
  const revoke = (id: ApiTokenSummary['id']) =>
    void run(async () => {
      await del(`/api/me/tokens/${encodeURIComponent(String(id))}`);
      load();
    });

  const errs = (...paths: string[]) => fieldErrors(problem, ...paths);
  const projectPaths = Object.keys(problem?.errors ?? {}).filter((k) => k.startsWith('projectIds'));
  const now = new Date();
  return (
    <div>
      <h1>{t('tokens.title')}</h1>
      <p class="muted">{t('tokens.intro')}</p>
      {tokens === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : tokens.length === 0 ? (
        <p class="muted">{t('tokens.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('tokens.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tokens.name')}</th>
                <th scope="col">{t('tokens.prefix')}</th>
                <th scope="col">{t('tokens.scope')}</th>
                <th scope="col">{t('tokens.projects')}</th>
                <th scope="col">{t('tokens.expires')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('tokens.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((tk) => (
                <tr key={tk.id}>
                  <th scope="row">{tk.name}</th>
                  <td>
                    <code>{tk.prefix}…</code>
                  </td>
                  <td>{tk.scope}</td>
                  <td>{tk.projectIds?.join(', ') ?? t('tokens.allProjects')}</td>
                  <td>{tk.expiresAt === null ? t('tokens.never') : isExpired(tk.expiresAt, now) ? t('tokens.expired') : dateTime(tk.expiresAt)}</td>
                  <td>
                    <button type="button" class="link" disabled={busy} onClick={() => revoke(tk.id)}>
                      {t('tokens.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <form class="card" onSubmit={create}>
        {problem && <ProblemView problem={problem} skip={['name', 'expiresAt', 'scope', ...projectPaths]} />}
        <TextField id="tk-name" label={t('tokens.name')} required maxLength={100} value={name} onValue={setName} errors={errs('name')} />
        <TextField
          id="tk-days"
          label={t('tokens.days')}
          type="number"
          min="1"
          max="365"
          step="1"
          required
          value={days}
          onValue={setDays}
          hint={t('tokens.daysHint')}
          errors={badField === 'days' ? [t('tokens.badDays')] : errs('expiresAt')}
        />
        <div class="form-row">
          <label for="tk-scope">{t('tokens.scope')}</label>
          <select id="tk-scope" value={scope} onChange={(e) => setScope((e.currentTarget as HTMLSelectElement).value as TokenScope)}>
            <option value="full">{t('tokens.scopeFull')}</option>
            <option value="read-only">{t('tokens.scopeReadOnly')}</option>
          </select>
        </div>
        <TextField
          id="tk-projects"
          label={t('tokens.projects')}
          value={projects}
          onValue={setProjects}
          hint={t('tokens.projectsHint')}
          errors={badField === 'projects' ? [t('tokens.badProjects')] : errs(...projectPaths)}
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('tokens.create')}
          </button>
        </div>
        {made && (
          <div class="form-row" role="status" data-testid="token-made">
            <label for="tk-secret">{t('tokens.once')}</label>
            <input id="tk-secret" readOnly value={made.token} onFocus={(e) => e.currentTarget.select()} />
          </div>
        )}
      </form>
    </div>
  );
}
