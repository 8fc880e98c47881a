import { useVirtualizer } from '@tanstack/react-virtual';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { type CombinedError, gql, useClient, useQuery } from 'urql';
import { Link, navigate, useLocation } from '../router.js';
import { Badge, Empty, ErrorNote, Loading, Num } from '../ui.js';

interface Row {
  id: string;
  name: string;
  role: 'seed' | 'user';
  seed: { name: string } | null;
  health: { status: string };
  labels: Array<{ key: string; value: string }>;
  drift: { state: string; openFindings: number };
  userClusterCount: number;
}

const PAGE = 100;

const CLUSTERS = gql`
  query FleetClusters($sel: String, $role: ClusterRole, $seed: String, $first: Int!, $after: String) {
    clusters(labelSelector: $sel, role: $role, seed: $seed, first: $first, after: $after) {
      edges {
        node {
          id
          name
          role
          seed {
            name
          }
          health {
            status
          }
          labels {
            key
            value
          }
          drift {
            state
            openFindings
          }
          userClusterCount
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const SUMMARY = gql`
  query FleetSummary($sel: String) {
    driftSummary(labelSelector: $sel) {
      inSync
      drifted
      unreachable
      neverScanned
      total
    }
  }
`;

const SEEDS = gql`
  query Seeds {
    clusters(role: seed, first: 100) {
      edges {
        node {
          name
          userClusterCount
          health {
            status
          }
        }
      }
    }
  }
`;

/**
 * Pages of clusters fetched from the server as the table scrolls (100 at a time, by name):
 * filtering is the API's label selector, so the browser never holds more than what was scrolled.
 */
function useClusterPages(vars: { sel: string; role: string; seed: string }) {
  const client = useClient();
  const [rows, setRows] = useState<Row[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const generation = useRef(0);
  const load = useCallback(
    async (after: string | null, gen: number) => {
      setLoading(true);
      const r = await client
        .query<{ clusters: { edges: Array<{ node: Row }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
          CLUSTERS,
          { sel: vars.sel || null, role: vars.role || null, seed: vars.seed || null, first: PAGE, after },
          { requestPolicy: 'network-only' },
        )
        .toPromise();
      if (gen !== generation.current) return;
      setLoading(false);
      if (r.error || !r.data) {
        setError(r.error ?? null);
        setMore(false);
        return;
      }
      setError(null);
      setRows((prev) => (after ? [...prev, ...r.data!.clusters.edges.map((e) => e.node)] : r.data!.clusters.edges.map((e) => e.node)));
      setCursor(r.data.clusters.pageInfo.endCursor);
      setMore(r.data.clusters.pageInfo.hasNextPage);
    },
    [client, vars.sel, vars.role, vars.seed],
  );
  useEffect(() => {
    generation.current++;
    setRows([]);
    setMore(true);
    void load(null, generation.current);
  }, [load]);
  const loadMore = useCallback(() => {
    if (!loading && more && cursor) void load(cursor, generation.current);
  }, [loading, more, cursor, load]);
  return { rows, more, loading, error, loadMore };
}

function ClusterTable({ rows, more, loading, loadMore, selected, toggle }: { rows: Row[]; more: boolean; loading: boolean; loadMore: () => void; selected: Set<string>; toggle: (name: string) => void }) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => 40, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (more && !loading && last >= rows.length - 20) loadMore();
  }, [last, rows.length, more, loading, loadMore]);
  return (
    <div className="vtable" role="table" aria-label="Clusters" aria-rowcount={rows.length + 1}>
      <div className="vrow vhead" role="row" aria-rowindex={1}>
        <span role="columnheader" className="c-sel">
          <span className="sr-only">Selected</span>
        </span>
        <span role="columnheader" className="c-name">Cluster</span>
        <span role="columnheader" className="c-role">Role</span>
        <span role="columnheader" className="c-seed">Seed</span>
        <span role="columnheader" className="c-health">Health</span>
        <span role="columnheader" className="c-drift">Drift</span>
        <span role="columnheader" className="c-labels">Labels</span>
      </div>
      <div ref={parent} className="vbody" tabIndex={0} aria-label="Cluster rows (scroll for more)">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const c = rows[v.index]!;
            return (
              <div key={c.id} className="vrow" role="row" aria-rowindex={v.index + 2} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)`, height: v.size }}>
                <span role="cell" className="c-sel">
                  <input type="checkbox" aria-label={`Select ${c.name} for the gate matrix`} checked={selected.has(c.name)} onChange={() => toggle(c.name)} />
                </span>
                <span role="cell" className="c-name">
                  <Link to={`/clusters/${encodeURIComponent(c.name)}`}>{c.name}</Link>
                </span>
                <span role="cell" className="c-role">
                  {c.role}
                  {c.role === 'seed' && (
                    <span className="muted small">
                      {' '}
                      · <Num value={c.userClusterCount} /> users
                    </span>
                  )}
                </span>
                <span role="cell" className="c-seed">
                  {c.seed ? <Link to={`/clusters/${encodeURIComponent(c.seed.name)}`}>{c.seed.name}</Link> : <span className="muted">—</span>}
                </span>
                <span role="cell" className="c-health">
                  <Badge value={c.health.status} />
                </span>
                <span role="cell" className="c-drift">
                  <Badge value={c.drift.state} />
                  {c.drift.openFindings > 0 && <span className="num small"> {c.drift.openFindings}</span>}
                </span>
                <span role="cell" className="c-labels">
                  {c.labels.map((l) => (
                    <code key={l.key} className="label">
                      {l.key}={l.value}
                    </code>
                  ))}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      <p className="muted small" role="status" aria-live="polite">
        {rows.length.toLocaleString('en')} shown{more ? ', more as you scroll' : ''}
        {loading ? ' · loading…' : ''}
      </p>
    </div>
  );
}

const MATRIX_LIMIT = 25;

function GateMatrix({ names }: { names: string[] }) {
  if (names.length === 0) return <Empty>Select clusters in the table (up to {MATRIX_LIMIT}) to compare their feature gates.</Empty>;
  return <GateMatrixTable names={names} />;
}

function GateMatrixTable({ names }: { names: string[] }) {
  const fields = names.map((n, i) => `c${i}: cluster(name: $n${i}) { name featureGates { key enabled source } }`).join('\n');
  const query = `query GateMatrix(${names.map((_, i) => `$n${i}: String!`).join(', ')}) {\n${fields}\n}`;
  const variables = Object.fromEntries(names.map((n, i) => [`n${i}`, n]));
  const [res] = useQuery<Record<string, { name: string; featureGates: Array<{ key: string; enabled: boolean; source: string }> } | null>>({ query, variables });
  if (res.fetching && !res.data) return <Loading what="Loading gates" />;
  if (res.error) return <ErrorNote error={res.error} />;
  const clusters = Object.values(res.data ?? {}).filter((c): c is NonNullable<typeof c> => c !== null);
  const keys = [...new Set(clusters.flatMap((c) => c.featureGates.map((g) => g.key)))].sort();
  return (
    <div className="scroll-x">
      <table className="matrix">
        <caption>Feature gates × clusters (value and where it comes from)</caption>
        <thead>
          <tr>
            <th scope="col">Cluster</th>
            {keys.map((k) => (
              <th scope="col" key={k}>
                {k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {clusters.map((c) => (
            <tr key={c.name}>
              <th scope="row">{c.name}</th>
              {keys.map((k) => {
                const g = c.featureGates.find((x) => x.key === k);
                return (
                  <td key={k} className={g?.enabled ? 'on' : 'off'}>
                    {g ? (g.enabled ? 'on' : 'off') : '—'} <span className="muted small">{g?.source}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function FleetPage() {
  const { query } = useLocation();
  const sel = query.get('labelSelector') ?? '';
  const role = query.get('role') ?? '';
  const seed = query.get('seed') ?? '';
  const [draft, setDraft] = useState(sel);
  useEffect(() => setDraft(sel), [sel]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const pages = useClusterPages({ sel, role, seed });
  const [summary] = useQuery<{ driftSummary: { inSync: number; drifted: number; unreachable: number; neverScanned: number; total: number } }>({ query: SUMMARY, variables: { sel: sel || null } });
  const [seeds] = useQuery<{ clusters: { edges: Array<{ node: { name: string; userClusterCount: number; health: { status: string } } }> } }>({ query: SEEDS });
  const go = (next: { sel?: string; role?: string; seed?: string }) => {
    const p = new URLSearchParams();
    const v = { sel, role, seed, ...next };
    if (v.sel) p.set('labelSelector', v.sel);
    if (v.role) p.set('role', v.role);
    if (v.seed) p.set('seed', v.seed);
    navigate(p.size ? `/?${p}` : '/');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ sel: draft.trim() });
  };
  const toggle = (name: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(name)) next.delete(name);
      else if (next.size < MATRIX_LIMIT) next.add(name);
      return next;
    });
  const s = summary.data?.driftSummary;
  return (
    <>
      <h1>Fleet</h1>
      <form className="filters" onSubmit={submit} role="search">
        <label htmlFor="selector">Label selector</label>
        <input id="selector" className="wide" placeholder="env=prod,tier in (gold,standard),!legacy" value={draft} onChange={(e) => setDraft(e.target.value)} />
        <label htmlFor="role">Role</label>
        <select id="role" value={role} onChange={(e) => go({ role: e.target.value })}>
          <option value="">any</option>
          <option value="seed">seed</option>
          <option value="user">user</option>
        </select>
        <button type="submit" className="primary">
          Filter
        </button>
        {(sel || role || seed) && (
          <button type="button" onClick={() => navigate('/')}>
            Clear
          </button>
        )}
      </form>
      <ErrorNote error={pages.error ?? summary.error} />
      <section aria-label="Drift summary" className="cards">
        {[
          ['in sync', s?.inSync, 'in_sync'],
          ['drifted', s?.drifted, 'drifted'],
          ['unreachable', s?.unreachable, 'unreachable'],
          ['never scanned', s?.neverScanned, 'never_scanned'],
          ['total', s?.total, 'total'],
        ].map(([label, n, cls]) => (
          <div key={label as string} className={`card card-${cls as string}`}>
            <span className="card-n">
              <Num value={n as number | undefined} />
            </span>
            <span className="card-label">{label as string}</span>
          </div>
        ))}
      </section>
      <div className="fleet-grid">
        <aside aria-labelledby="seeds-h">
          <h2 id="seeds-h">Seeds</h2>
          {seeds.fetching && !seeds.data && <Loading />}
          <ErrorNote error={seeds.error} />
          {seeds.data && seeds.data.clusters.edges.length === 0 && <Empty>No seeds registered.</Empty>}
          <ul className="seed-list">
            {seed && (
              <li>
                <button type="button" className="link-button" onClick={() => go({ seed: '' })}>
                  All clusters
                </button>
              </li>
            )}
            {seeds.data?.clusters.edges.map(({ node: n }) => (
              <li key={n.name}>
                <button type="button" className="link-button" aria-pressed={seed === n.name} onClick={() => go({ seed: n.name })}>
                  {n.name}
                </button>{' '}
                <Badge value={n.health.status} /> <span className="num muted small">{n.userClusterCount} user clusters</span>
              </li>
            ))}
          </ul>
        </aside>
        <section aria-labelledby="clusters-h">
          <h2 id="clusters-h">{seed ? `User clusters of ${seed}` : 'Clusters'}</h2>
          {pages.rows.length === 0 && pages.loading && <Loading what="Loading clusters" />}
          {pages.rows.length === 0 && !pages.loading && !pages.error && <Empty>No cluster matches.</Empty>}
          {pages.rows.length > 0 && <ClusterTable {...pages} selected={selected} toggle={toggle} />}
        </section>
      </div>
      <section aria-labelledby="matrix-h">
        <h2 id="matrix-h">
          Gate matrix{' '}
          {selected.size > 0 && (
            <button type="button" onClick={() => setSelected(new Set())}>
              Clear selection ({selected.size})
            </button>
          )}
        </h2>
        <GateMatrix names={[...selected].sort()} />
      </section>
    </>
  );
}
