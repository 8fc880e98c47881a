import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { Provider, gql, useMutation, useQuery } from 'urql';
import { createApiClient } from './client.js';
import { ClusterPage } from './pages/cluster.page.js';
import { DriftPage } from './pages/drift.page.js';
import { FleetPage } from './pages/fleet.page.js';
import { NewRolloutPage } from './pages/new-rollout.page.js';
import { RolloutPage } from './pages/rollout.page.js';
import { RolloutsPage } from './pages/rollouts.page.js';
import { SignInPage } from './pages/sign-in.page.js';
import { Link, navigate, useLocation } from './router.js';
import { type Role, atLeast, storeToken, storedToken } from './session.js';
import { ErrorNote, Loading } from './ui.js';

const ExplorerPage = lazy(() => import('./pages/explorer.page.js'));

export interface Me {
  name: string;
  role: Role;
}

const VIEWER = gql`
  query Viewer {
    viewer {
      name
      role
    }
  }
`;

export function App() {
  const [token, setToken] = useState<string | null>(() => storedToken());
  const api = useMemo(() => (token ? createApiClient(token) : null), [token]);
  useEffect(() => () => api?.dispose(), [api]);
  const signOut = () => {
    storeToken(null);
    setToken(null);
  };
  if (!api) {
    return (
      <SignInPage
        onSignedIn={(t) => {
          storeToken(t);
          setToken(t);
        }}
      />
    );
  }
  return (
    <Provider value={api.client}>
      <Shell onSignOut={signOut} />
    </Provider>
  );
}

function QueuesButton() {
  const [state, open] = useMutation(gql`
    mutation OpenQueueBoard {
      openQueueBoard {
        path
        expiresAt
      }
    }
  `);
  return (
    <>
      <button
        type="button"
        className="link-button"
        onClick={async () => {
          const r = await open({});
          if (r.data) window.open(r.data.openQueueBoard.path, '_blank', 'noopener');
        }}
      >
        Queues
      </button>
      <ErrorNote error={state.error} />
    </>
  );
}

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const [me] = useQuery<{ viewer: Me }>({ query: VIEWER });
  const { path } = useLocation();
  if (me.fetching && !me.data) return <Loading what="Signing in" />;
  if (me.error || !me.data) {
    return (
      <main className="page">
        <ErrorNote error={me.error} />
        <button type="button" onClick={onSignOut}>
          Sign in again
        </button>
      </main>
    );
  }
  const viewer = me.data.viewer;
  const nav = [
    { to: '/', label: 'Fleet', active: path === '/' || path.startsWith('/clusters') },
    { to: '/rollouts', label: 'Rollouts', active: path.startsWith('/rollouts') },
    { to: '/drift', label: 'Drift', active: path.startsWith('/drift') },
    { to: '/graphql', label: 'GraphQL explorer', active: path === '/graphql' },
  ];
  let page;
  const cluster = /^\/clusters\/([^/]+)$/.exec(path);
  const rollout = /^\/rollouts\/([0-9a-f-]{36})$/.exec(path);
  if (cluster) page = <ClusterPage name={decodeURIComponent(cluster[1]!)} me={viewer} />;
  else if (path === '/rollouts/new') page = <NewRolloutPage me={viewer} />;
  else if (rollout) page = <RolloutPage id={rollout[1]!} me={viewer} />;
  else if (path === '/rollouts') page = <RolloutsPage me={viewer} />;
  else if (path === '/drift') page = <DriftPage me={viewer} />;
  else if (path === '/graphql') page = <Suspense fallback={<Loading what="Loading the explorer" />}><ExplorerPage /></Suspense>;
  else if (path === '/') page = <FleetPage />;
  else page = <p>Nothing here. <Link to="/">Back to the fleet</Link></p>;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">fleetgate</span>
        <nav aria-label="Main">
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={n.active ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
            {atLeast(viewer.role, 'admin') && (
              <li>
                <QueuesButton />
              </li>
            )}
          </ul>
        </nav>
        <span className="who">
          {viewer.name} <span className={`badge badge-role-${viewer.role}`}>{viewer.role}</span>
          <button
            type="button"
            onClick={() => {
              onSignOut();
              navigate('/', true);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main id="main" className={path === '/graphql' ? 'page page-wide' : 'page'}>
        {page}
      </main>
    </>
  );
}
