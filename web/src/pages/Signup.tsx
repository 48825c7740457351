import { useEffect, useState } from 'preact/hooks';
import { invitationOf } from '../account/access';
import { ApiError, get, post } from '../api';
import { fieldErrors, ProblemView } from '../components/ProblemView';
import { TextField } from '../components/TextField';
import { useAction } from '../components/useAction';
import { t } from '../i18n';
import { Link, navigate } from '../router';
import { homeFor, useSession } from '../session';
import type { InvitationPreview, Me } from '../types';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export default function Signup() {
  const { me, setMe } = useSession();
  // An invitation (?invitation=…) makes a requester account in the inviting organisation.
  const [invitation] = useState(() => invitationOf(location.search));
  const [preview, setPreview] = useState<InvitationPreview | null>(null);
  const [role, setRole] = useState<'tasker' | 'requester'>(invitation ? 'requester' : 'tasker');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [organisationName, setOrganisationName] = useState('');
  const [country, setCountry] = useState('');
  const [languages, setLanguages] = useState('');
  const [expertise, setExpertise] = useState('');
  const { busy, problem, run, fail } = useAction();

  useEffect(() => {
    if (!invitation) return;
    post<InvitationPreview>('/api/invitations/preview', { token: invitation }).then((p) => {
      setPreview(p);
      setEmail(p.email);
    }, fail);
  }, []);

  const accept = () =>
    void run(async () => {
      await post<Me>('/api/invitations/accept', { token: invitation });
      const fresh = await get<Me>('/api/auth/me');
      setMe(fresh);
      navigate(homeFor(fresh.role));
    });

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const body = invitation
      ? { email, password, displayName, role: 'requester', invitation }
      : role === 'requester'
        ? { email, password, displayName, role, organisationName }
        : { email, password, displayName, role, country: country.trim().toUpperCase() || undefined, languages: list(languages), expertise: list(expertise) };
    void run(async () => {
      // Sign-up answers alike whether or not the address has an account; logging in tells us.
      await post('/api/auth/signup', body);
      try {
        const signedIn = await post<Me>('/api/auth/login', { email, password });
        setMe(signedIn);
        navigate(homeFor(signedIn.role));
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) throw new ApiError({ ...err.problem, title: t('signup.notSignedIn') });
        throw err;
      }
    });
  };

  const logoutFirst = () =>
    void run(async () => {
      await post('/api/auth/logout');
      setMe(null);
    });

  // Signed in and invited: accept below; otherwise one account per browser at a time.
  if (me && !invitation)
    return (
      <div class="narrow">
        <h1>{t('signup.title')}</h1>
        <div class="card">
          {problem && <ProblemView problem={problem} />}
          <p>{t('signup.signedInAs', { name: me.displayName })}</p>
          <div class="actions">
            <button type="button" class="primary" disabled={busy} onClick={logoutFirst}>
              {t('signup.logoutFirst')}
            </button>
          </div>
        </div>
      </div>
    );

  const errs = (...paths: string[]) => fieldErrors(problem, ...paths);
  const shown = ['email', 'password', 'displayName', 'organisationName', 'country', 'languages', 'expertise', 'role'];

  const invited = preview && { organisation: preview.organisation, email: preview.email, role: t(preview.role === 'owner' ? 'org.roleOwner' : 'org.roleMember') };
  if (invitation && me)
    return (
      <div class="narrow">
        <h1>{t('signup.title')}</h1>
        <div class="card">
          {problem && <ProblemView problem={problem} />}
          {invited && <p>{t('signup.invitedSignedIn', invited)}</p>}
          <div class="actions">
            <button type="button" class="primary" disabled={busy || !invited} onClick={accept}>
              {t('signup.accept', { organisation: preview?.organisation ?? '' })}
            </button>
          </div>
        </div>
      </div>
    );

  return (
    <div class="narrow">
      <h1>{t('signup.title')}</h1>
      <form class="card" onSubmit={onSubmit}>
        {problem && <ProblemView problem={problem} skip={shown} />}
        {invited && <p data-testid="invited">{t('signup.invited', invited)}</p>}
        {!invitation && <fieldset class="role-choice">
          <legend>{t('signup.role')}</legend>
          <label class="option">
            <input type="radio" name="role" value="tasker" checked={role === 'tasker'} onChange={() => setRole('tasker')} />
            <span>{t('signup.roleTasker')}</span>
          </label>
          <label class="option">
            <input type="radio" name="role" value="requester" checked={role === 'requester'} onChange={() => setRole('requester')} />
            <span>{t('signup.roleRequester')}</span>
          </label>
        </fieldset>}
        <TextField id="su-name" label={t('field.displayName')} autoComplete="name" required value={displayName} onValue={setDisplayName} errors={errs('displayName')} />
        <TextField id="su-email" label={t('field.email')} type="email" autoComplete="email" required value={email} onValue={setEmail} errors={errs('email')} />
        <TextField
          id="su-password"
          label={t('field.password')}
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          value={password}
          onValue={setPassword}
          hint={t('signup.passwordHint')}
          errors={errs('password')}
        />
        {invitation ? null : role === 'requester' ? (
          <TextField id="su-org" label={t('field.organisation')} required value={organisationName} onValue={setOrganisationName} hint={t('signup.orgHint')} errors={errs('organisationName')} />
        ) : (
          <>
            <TextField id="su-country" label={t('field.country')} autoComplete="country" maxLength={2} value={country} onValue={setCountry} hint={t('signup.countryHint')} errors={errs('country')} />
            <TextField id="su-languages" label={t('field.languages')} value={languages} onValue={setLanguages} hint={t('signup.listHint')} errors={errs('languages')} />
            <TextField id="su-expertise" label={t('field.expertise')} value={expertise} onValue={setExpertise} hint={t('signup.listHint')} errors={errs('expertise')} />
          </>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('signup.submit')}
          </button>
        </div>
      </form>
      <p>
        {t('signup.haveAccount')} <Link href="/login">{t('signup.loginLink')}</Link>
      </p>
    </div>
  );
}
