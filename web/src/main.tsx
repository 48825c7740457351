import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post, setUnauthorizedHandler } from './api';
import { t } from './i18n';
import { lazy } from './lazy';
import { Link, match, navigate, usePath } from './router';
import { homeFor, SessionContext } from './session';
import type { Me, Role } from './types';
import './styles.css';

// Every page is its own chunk so the task page loads only what it needs.
const Login = lazy(() => import('./pages/Login'));
const Signup = lazy(() => import('./pages/Signup'));
const TaskerHome = lazy(() => import('./pages/TaskerHome'));
const TaskPage = lazy(() => import('./task/TaskPage'));
const Projects = lazy(() => import('./requester/Projects'));
const ProjectForm = lazy(() => import('./requester/ProjectForm'));
const ProjectPage = lazy(() => import('./requester/ProjectPage'));
const Operator = lazy(() => import('./pages/Operator'));
const Organisation = lazy(() => import('./account/Organisation'));
const Tokens = lazy(() => import('./account/Tokens'));
const Account = lazy(() => import('./pages/Account'));
const Profile = lazy(() => import('./account/Profile'));

interface Route {
  pattern: string;
  role?: Role | 'any';
  render: (p: Record<string, string>) => preact.JSX.Element;
}

const routes: Route[] = [
  { pattern: '/login', render: () => <Login /> },
  { pattern: '/signup', render: () => <Signup /> },
  { pattern: '/work', role: 'tasker', render: () => <TaskerHome /> },
  { pattern: '/work/projects/:id', role: 'tasker', render: (p) => <TaskPage key={p.id} projectId={p.id} /> },
  { pattern: '/projects', role: 'requester', render: () => <Projects /> },
  { pattern: '/projects/new', role: 'requester', render: () => <ProjectForm /> },
  { pattern: '/projects/:id/edit', role: 'requester', render: (p) => <ProjectForm key={p.id} projectId={p.id} /> },
  { pattern: '/projects/:id', role: 'requester', render: (p) => <ProjectPage key={p.id} projectId={p.id} /> },
  { pattern: '/operator', role: 'operator', render: () => <Operator /> },
  { pattern: '/organisation', role: 'requester', render: () => <Organisation /> },
  { pattern: '/tokens', role: 'any', render: () => <Tokens /> },
  { pattern: '/account', role: 'any', render: () => <Account /> },
  { pattern: '/profile', role: 'tasker', render: () => <Profile /> },
];

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const path = usePath();

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setMe(null);
      navigate('/login', true);
    });
    get<Me>('/api/auth/me')
      .then(setMe, (e) => {
        if (!(e instanceof ApiError) || e.status !== 401) console.warn(e);
      })
      .finally(() => setReady(true));
  }, []);

  if (!ready) return <p class="muted page">{t('common.loading')}</p>;

  let content: preact.JSX.Element | null = null;
  for (const r of routes) {
    const params = match(r.pattern, path);
    if (!params) continue;
    if (r.role && !me) {
      navigate('/login', true);
      return null;
    }
    if (r.role && me && r.role !== 'any' && r.role !== me.role) content = <NotFound />;
    else content = r.render(params);
    break;
  }
  if (!content) {
    if (path === '/') {
      navigate(me ? homeFor(me.role) : '/login', true);
      return null;
    }
    content = <NotFound />;
  }

  return (
    <SessionContext.Provider value={{ me, setMe }}>
      <a href="#content" class="skip-link">
        {t('nav.skip')}
      </a>
      <Header me={me} onLogout={() => setMe(null)} />
      <main id="content" class="page" tabIndex={-1}>
        {content}
      </main>
    </SessionContext.Provider>
  );
}

function Header({ me, onLogout }: { me: Me | null; onLogout: () => void }) {
  const logout = async () => {
    try {
      await post('/api/auth/logout');
    } finally {
      onLogout();
      navigate('/login');
    }
  };
  return (
    <header class="site-header">
      <nav aria-label={t('nav.main')}>
        <Link href={me ? homeFor(me.role) : '/login'} class="brand">
          Fairlabel
        </Link>
        {me?.role === 'tasker' && <Link href="/work">{t('nav.work')}</Link>}
        {me?.role === 'tasker' && <Link href="/profile">{t('nav.profile')}</Link>}
        {me?.role === 'requester' && <Link href="/projects">{t('nav.projects')}</Link>}
        {me?.role === 'requester' && <Link href="/projects/new">{t('nav.newProject')}</Link>}
        {me?.role === 'requester' && <Link href="/organisation">{t('nav.organisation')}</Link>}
        {me && <Link href="/tokens">{t('nav.tokens')}</Link>}
        <span class="spacer" />
        {me ? (
          <>
            <span class="who">
              {me.displayName}
              {me.organisation && <span class="muted"> · {me.organisation.name}</span>}
            </span>
            <Link href="/account">{t('nav.account')}</Link>
            <button type="button" class="link" onClick={logout}>
              {t('nav.logout')}
            </button>
          </>
        ) : (
          <>
            <Link href="/login">{t('nav.login')}</Link>
            <Link href="/signup">{t('nav.signup')}</Link>
          </>
        )}
      </nav>
    </header>
  );
}

function NotFound() {
  return (
    <div>
      <h1>{t('common.notFound')}</h1>
      <p>
        <Link href="/">{t('common.home')}</Link>
      </p>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
