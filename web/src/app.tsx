// The application shell: session gate, left navigation, header with global search,
// keyboard shortcuts and the route table.
import { useEffect, useRef, useState } from 'preact/hooks';
import { setUnauthorizedHandler } from './api';
import { match, navigate, useLocation } from './router';
import { canMatch, isAdmin, loadSession, sessionEnded, signOut, useSession } from './session';
import { ErrorBanner, Modal, Toasts } from './ui/basics';
import { Icon } from './ui/icons';
import { LoginScreen } from './screens/login';
import { OrganizationsScreen } from './screens/organizations';
import { OrganizationScreen } from './screens/organization';
import { ConfigurationScreen } from './screens/configuration';
import { DocumentScreen } from './screens/document';
import { AssetScreen } from './screens/assets';
import { ActivityScreen } from './screens/activity';
import { SearchScreen } from './screens/search';
import { UsersScreen, GroupsScreen, ApiKeysScreen } from './screens/admin';
import { AccountScreen } from './screens/account';
import { IntegrationsScreen, RunsScreen } from './screens/integrations';
import { ManageDataScreen } from './screens/manage_data';
import { ContactScreen } from './screens/contact';
import { MatchDevicesScreen, MatchingScreen } from './screens/matching';

type Route = [string, (p: Record<string, string>) => preact.JSX.Element];

const routes: Route[] = [
  ['/organizations', () => <OrganizationsScreen />],
  ['/organizations/:id', (p) => <OrganizationScreen id={p.id} tab="configurations" />],
  ['/organizations/:id/:tab', (p) => <OrganizationScreen id={p.id} tab={p.tab} />],
  // The API's resource-url shapes: /<organization-id>/<kind>/<id>.
  ['/:org/configurations/:id', (p) => <ConfigurationScreen id={p.id} />],
  ['/:org/contacts/:id', (p) => <ContactScreen id={p.id} />],
  ['/:org/docs/:id', (p) => <DocumentScreen id={p.id} />],
  ['/:org/assets/records/:id', (p) => <AssetScreen id={p.id} />],
  ['/activity', () => <ActivityScreen />],
  ['/search', () => <SearchScreen />],
  ['/admin/users', () => <UsersScreen />],
  ['/admin/groups', () => <GroupsScreen />],
  ['/admin/api-keys', () => <ApiKeysScreen />],
  ['/account', () => <AccountScreen />],
  ['/account/integrations', () => <IntegrationsScreen />],
  ['/account/integrations/:id/runs', (p) => <RunsScreen id={p.id} />],
  ['/account/integrations/:id/manage-data', (p) => <ManageDataScreen id={p.id} />],
  ['/account/integrations/:id/matching', (p) => <MatchingScreen id={p.id} />],
  ['/account/matching', () => <MatchingScreen />],
  ['/account/matching/customers/:id', (p) => <MatchDevicesScreen id={p.id} />],
];

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function NotFound() {
  return (
    <div class="page">
      <div class="empty">
        <p class="empty-title">This page does not exist</p>
        <p class="empty-text">
          <a href="/organizations">Go to organizations</a>
        </p>
      </div>
    </div>
  );
}

function Content({ path }: { path: string }) {
  if (path === '/' || path === '') return <Redirect to="/organizations" />;
  const pw = match('/:org/passwords/:id', path);
  if (pw) return <Redirect to={`/organizations/${pw.org}/passwords?open=${pw.id}`} />;
  for (const [pattern, render] of routes) {
    const params = match(pattern, path);
    if (params) return render(params);
  }
  return <NotFound />;
}

// `admin`: administrators only; `matcher`: administrators and managers (backup matching).
const NAV: { href: string; label: string; icon: string; admin?: boolean; matcher?: boolean }[] = [
  { href: '/organizations', label: 'Organizations', icon: 'building' },
  { href: '/search', label: 'Search', icon: 'search' },
  { href: '/activity', label: 'Activity', icon: 'activity' },
  { href: '/admin/users', label: 'Users', icon: 'user', admin: true },
  { href: '/admin/groups', label: 'Groups', icon: 'users', admin: true },
  { href: '/admin/api-keys', label: 'API keys', icon: 'key', admin: true },
  { href: '/account/integrations', label: 'Integrations', icon: 'plug', admin: true },
  { href: '/account/matching', label: 'Backup matching', icon: 'disk', matcher: true },
];

function Sidebar({ path }: { path: string }) {
  const admin = isAdmin();
  const matcher = canMatch();
  const shown = NAV.filter((n) => (n.admin && admin) || (n.matcher && matcher));
  return (
    <aside class="sidebar">
      <a href="/organizations" class="brand" aria-label="Mortar home">
        <span class="brand-mark" aria-hidden="true" />
        <span class="brand-name">Mortar</span>
      </a>
      <nav aria-label="Main">
        <p class="nav-group">Documentation</p>
        {NAV.filter((n) => !n.admin && !n.matcher).map((n) => (
          <a
            key={n.href}
            href={n.href}
            class={
              path.startsWith(n.href) || (n.href === '/organizations' && /^\/\d+\//.test(path))
                ? 'nav-item nav-active'
                : 'nav-item'
            }
          >
            <Icon name={n.icon} />
            {n.label}
          </a>
        ))}
        {shown.length > 0 && (
          <>
            <p class="nav-group">Administration</p>
            {shown.map((n) => (
              <a key={n.href} href={n.href} class={path.startsWith(n.href) ? 'nav-item nav-active' : 'nav-item'}>
                <Icon name={n.icon} />
                {n.label}
              </a>
            ))}
          </>
        )}
      </nav>
      <p class="sidebar-foot">
        Press <kbd>?</kbd> for shortcuts
      </p>
    </aside>
  );
}

function Header() {
  const session = useSession();
  const loc = useLocation();
  const [q, setQ] = useState(loc.path === '/search' ? (loc.query.get('q') ?? '') : '');
  const [menu, setMenu] = useState(false);
  useEffect(() => {
    if (loc.path === '/search') setQ(loc.query.get('q') ?? '');
  }, [loc.path, loc.query.get('q')]);
  return (
    <header class="topbar">
      <form
        class="global-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (q.trim()) navigate('/search?q=' + encodeURIComponent(q.trim()));
        }}
      >
        <span class="search-icon">
          <Icon name="search" size={16} />
        </span>
        <input
          id="global-search"
          type="search"
          placeholder="Search organizations, configurations, passwords, documents…"
          aria-label="Search everything"
          value={q}
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        />
        <kbd class="search-kbd">/</kbd>
      </form>
      <div class="user-menu">
        <button type="button" class="user-btn" aria-haspopup="menu" aria-expanded={menu} onClick={() => setMenu(!menu)}>
          <span class="avatar" aria-hidden="true">
            {(session?.name || session?.email || '?').slice(0, 1).toUpperCase()}
          </span>
          <span class="user-name">{session?.name || session?.email}</span>
          <span class="user-role">{session?.role}</span>
        </button>
        {menu && (
          <div class="menu" role="menu" onClick={() => setMenu(false)}>
            <a role="menuitem" href="/account">
              Account and password
            </a>
            <button
              role="menuitem"
              type="button"
              onClick={async () => {
                await signOut().catch(() => undefined);
                navigate('/login', { replace: true });
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </div>
    </header>
  );
}

const SHORTCUTS: [string, string][] = [
  ['/', 'Focus the search box'],
  ['n', 'New record on the current list'],
  ['g then o', 'Go to organizations'],
  ['g then a', 'Go to activity'],
  ['g then s', 'Go to search'],
  ['?', 'Show this help'],
  ['Esc', 'Close a dialog'],
];

function useShortcuts(showHelp: () => void) {
  const pendingG = useRef(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (t.closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      if (pendingG.current) {
        pendingG.current = false;
        const to = { o: '/organizations', a: '/activity', s: '/search' }[e.key];
        if (to) {
          e.preventDefault();
          navigate(to);
        }
        return;
      }
      if (e.key === '/') {
        e.preventDefault();
        document.getElementById('global-search')?.focus();
      } else if (e.key === '?') {
        e.preventDefault();
        showHelp();
      } else if (e.key === 'n') {
        const btn = document.querySelector<HTMLButtonElement>('[data-shortcut="n"]');
        if (btn) {
          e.preventDefault();
          btn.click();
        }
      } else if (e.key === 'g') {
        pendingG.current = true;
        setTimeout(() => (pendingG.current = false), 1500);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function App() {
  const session = useSession();
  const loc = useLocation();
  const [bootError, setBootError] = useState<unknown>(null);
  const [help, setHelp] = useState(false);
  useShortcuts(() => setHelp(true));

  useEffect(() => {
    setUnauthorizedHandler(sessionEnded);
    loadSession().catch(setBootError);
  }, []);

  if (bootError) {
    return (
      <div class="boot">
        <ErrorBanner error={bootError} onRetry={() => location.reload()} />
      </div>
    );
  }
  if (session === undefined) {
    return (
      <div class="boot" aria-busy="true">
        <span class="brand-mark" aria-hidden="true" />
        <p>Loading Mortar…</p>
      </div>
    );
  }
  if (session === null) {
    const next =
      loc.path === '/login' ? (loc.query.get('next') ?? '/organizations') : loc.path + window.location.search;
    if (loc.path !== '/login') return <Redirect to={'/login?next=' + encodeURIComponent(next)} />;
    return (
      <>
        <LoginScreen next={next} />
        <Toasts />
      </>
    );
  }
  if (loc.path === '/login') return <Redirect to={loc.query.get('next') || '/organizations'} />;
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar path={loc.path} />
      <div class="main-col">
        <Header />
        <main id="main" tabIndex={-1}>
          <Content path={loc.path} />
        </main>
      </div>
      <Toasts />
      {help && (
        <Modal title="Keyboard shortcuts" onClose={() => setHelp(false)}>
          <table class="shortcuts">
            <tbody>
              {SHORTCUTS.map(([k, d]) => (
                <tr key={k}>
                  <td>
                    {k.split(' then ').map((x, i) => (
                      <span key={x}>
                        {i > 0 && ' then '}
                        <kbd>{x}</kbd>
                      </span>
                    ))}
                  </td>
                  <td>{d}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Modal>
      )}
    </div>
  );
}
