// The organisation page: who is in it and, for owners, the invitations that let people in.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, post } from '../api';
import { fieldErrors, ProblemView } from '../components/ProblemView';
import { TextField } from '../components/TextField';
import { useAction } from '../components/useAction';
import { dateTime } from '../format';
import { t } from '../i18n';
import type { Invitation, Member, MyOrganisation, NewInvitation, OrganisationRole } from '../types';
import { invitationLink } from './access';

const roleText = (role: OrganisationRole) => t(role === 'owner' ? 'org.roleOwner' : 'org.roleMember');

export default function Organisation() {
  const [mine, setMine] = useState<MyOrganisation | null | undefined>(undefined);
  const { problem, fail } = useAction();
  useEffect(() => {
    get<MyOrganisation>('/api/organisation').then(setMine, (e) => (e instanceof ApiError && e.status === 404 ? setMine(null) : fail(e)));
  }, []);

  if (problem) return <ProblemView problem={problem} />;
  if (mine === undefined) return <p class="muted">{t('common.loading')}</p>;
  if (mine === null) return <p>{t('org.none')}</p>;
  return (
    <div>
      <h1>{mine.name}</h1>
      <p>{t('org.yourRole', { role: roleText(mine.role) })}</p>
      {mine.role === 'owner' ? <OwnerView /> : <p class="muted">{t('org.ownersOnly')}</p>}
    </div>
  );
}

function OwnerView() {
  const [members, setMembers] = useState<Member[] | null>(null);
  const [invitations, setInvitations] = useState<Invitation[] | null>(null);
  const [made, setMade] = useState<NewInvitation | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<OrganisationRole>('member');
  const { busy, problem, run, fail } = useAction();

  const load = () => {
    get<Member[]>('/api/organisation/members').then(setMembers, fail);
    get<Invitation[]>('/api/organisation/invitations').then(setInvitations, fail);
  };
  useEffect(load, []);

  const invite = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      setMade(await post<NewInvitation>('/api/organisation/invitations', { email, role }));
      setEmail('');
      load();
    });
  };
  const revoke = (id: Invitation['id']) =>
    void run(async () => {
      await del(`/api/organisation/invitations/${encodeURIComponent(String(id))}`);
      load();
    });

  return (
    <>
      <h2>{t('org.members')}</h2>
      {members === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('org.members')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('org.name')}</th>
                <th scope="col">{t('org.email')}</th>
                <th scope="col">{t('org.role')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.displayName}</th>
                  <td>{m.email}</td>
                  <td>{roleText(m.role)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('org.invite')}</h2>
      <form class="card" onSubmit={invite}>
        {problem && <ProblemView problem={problem} skip={['email', 'role']} />}
        <TextField id="org-email" label={t('org.email')} type="email" required value={email} onValue={setEmail} hint={t('org.inviteHint')} errors={fieldErrors(problem, 'email')} />
        <div class="form-row">
          <label for="org-role">{t('org.role')}</label>
          <select id="org-role" value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as OrganisationRole)}>
            <option value="member">{t('org.roleMember')}</option>
            <option value="owner">{t('org.roleOwner')}</option>
          </select>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('org.inviteSubmit')}
          </button>
        </div>
        {made && (
          <div class="form-row" role="status" data-testid="invitation-made">
            <p>{t('org.inviteOnce', { email: made.email, expires: dateTime(made.expiresAt) })}</p>
            <label for="org-link">{t('org.invitationLink')}</label>
            <input id="org-link" readOnly value={invitationLink(location.origin, made.token)} onFocus={(e) => e.currentTarget.select()} />
          </div>
        )}
      </form>

      <h2>{t('org.invitations')}</h2>
      {invitations === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : invitations.length === 0 ? (
        <p class="muted">{t('org.noInvitations')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('org.invitations')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('org.email')}</th>
                <th scope="col">{t('org.role')}</th>
                <th scope="col">{t('org.status')}</th>
                <th scope="col">{t('org.expires')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('org.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <tr key={i.id}>
                  <th scope="row">{i.email}</th>
                  <td>{roleText(i.role)}</td>
                  <td>{t(`org.status.${i.status}`)}</td>
                  <td>{dateTime(i.expiresAt)}</td>
                  <td>
                    {i.status === 'pending' && (
                      <button type="button" class="link" disabled={busy} onClick={() => revoke(i.id)}>
                        {t('org.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
