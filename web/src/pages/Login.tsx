import { useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { ProblemView } from '../components/ProblemView';
import { TextField } from '../components/TextField';
import { useAction } from '../components/useAction';
import { t } from '../i18n';
import { Link, navigate } from '../router';
import { homeFor, useSession } from '../session';
import type { Me } from '../types';

export default function Login() {
  const { setMe } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, problem, run } = useAction();

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      try {
        const me = await post<Me>('/api/auth/login', { email, password });
        setMe(me);
        navigate(homeFor(me.role));
      } catch (err) {
        // Say what went wrong in the tasker's words rather than the server's.
        if (err instanceof ApiError && err.status === 401) throw new ApiError({ ...err.problem, title: t('login.bad') });
        if (err instanceof ApiError && err.status === 429) {
          const seconds = /(\d+)/.exec(err.problem.detail ?? '')?.[1] ?? '60';
          throw new ApiError({ ...err.problem, title: t('login.throttled', { seconds }), detail: undefined });
        }
        throw err;
      }
    });
  };

  return (
    <div class="narrow">
      <h1>{t('login.title')}</h1>
      <form class="card" onSubmit={onSubmit} noValidate={false}>
        {problem && <ProblemView problem={problem} />}
        <TextField id="login-email" label={t('field.email')} type="email" autoComplete="username" required value={email} onValue={setEmail} />
        <TextField id="login-password" label={t('field.password')} type="password" autoComplete="current-password" required value={password} onValue={setPassword} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('login.busy') : t('login.submit')}
          </button>
        </div>
      </form>
      <p>
        {t('login.noAccount')} <Link href="/signup">{t('login.signupLink')}</Link>
      </p>
    </div>
  );
}
