import { type FormEvent, useEffect, useRef, useState } from 'react';
import { gql, useMutation, useQuery, useSubscription } from 'urql';
import type { Me } from '../app.js';
import { type Connection, usePaged } from '../paging.js';
import { Link, navigate, useLocation } from '../router.js';
import { atLeast } from '../session.js';
import { Badge, Empty, ErrorNote, Loading, Time } from '../ui.js';
import { FindingDiff } from './cluster.page.js';

const FIELDS = `id kind status clusterName target { cluster namespace name } diff { path expected actual } changedBy binding driftMode stale firstSeenAt lastSeenAt resolvedAt resolution`;

const FLEET = gql`
  query DriftFindings($kind: DriftKind, $binding: String, $first: Int!, $after: String) {
    driftFindings(kind: $kind, binding: $binding, first: $first, after: $after) {
      edges { node { ${FIELDS} } }
      pageInfo { hasNextPage endCursor }
    }
    driftSummary { inSync drifted unreachable neverScanned total }
  }
`;

const ONE = gql`
  query ClusterFindings($cluster: String!) {
    cluster(name: $cluster) {
      name
      drift { state lastScanAt findings { ${FIELDS} } }
    }
  }
`;

const EVENTS = gql`
  subscription DriftPageEvents {
    driftEvents {
      type
      cluster
      at
    }
  }
`;

const SCAN = gql`
  mutation Scan($cluster: String) {
    requestDriftScan(cluster: $cluster) {
      clusters
    }
  }
`;

const PAGE = 50;

interface Finding {
  id: string;
  kind: string;
  status: string;
  clusterName: string;
  target: { cluster: string; namespace: string; name: string };
  diff: Array<{ path: string; expected: unknown; actual: unknown }>;
  changedBy: string | null;
  binding: string | null;
  driftMode: string | null;
  stale: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  resolution: string | null;
}

export function DriftPage({ me }: { me: Me }) {
  const { query } = useLocation();
  const kind = query.get('kind') ?? '';
  const cluster = query.get('cluster') ?? '';
  const binding = query.get('binding') ?? '';
  const [draft, setDraft] = useState({ cluster, binding });
  useEffect(() => setDraft({ cluster, binding }), [cluster, binding]);
  const paged = usePaged<{ driftFindings: Connection<Finding>; driftSummary: { drifted: number; total: number } }, Finding>({
    query: FLEET,
    variables: { kind: kind || null, binding: binding || null, first: PAGE },
    pick: (d) => d.driftFindings,
    pause: cluster !== '',
  });
  const [fleet, refetchFleet] = [paged.res, paged.refetch];
  const [one, refetchOne] = useQuery<{ cluster: { name: string; drift: { findings: Finding[] } } | null }>({ query: ONE, variables: { cluster }, pause: cluster === '' });
  const [scanState, scan] = useMutation<{ requestDriftScan: { clusters: number } }>(SCAN);
  const [scanned, setScanned] = useState<string | null>(null);
  const due = useRef<ReturnType<typeof setTimeout> | null>(null);
  useSubscription({ query: EVENTS }, (_p, d) => {
    if (!due.current) {
      due.current = setTimeout(() => {
        due.current = null;
        if (cluster) refetchOne({ requestPolicy: 'network-only' });
        else refetchFleet({ requestPolicy: 'network-only' });
      }, 500);
    }
    return d;
  });
  useEffect(() => () => void (due.current && clearTimeout(due.current)), []);
  const go = (next: Partial<{ kind: string; cluster: string; binding: string }>) => {
    const v = { kind, cluster, binding, ...next };
    const p = new URLSearchParams(Object.entries(v).filter(([, x]) => x) as Array<[string, string]>);
    navigate(p.size ? `/drift?${p}` : '/drift');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ cluster: draft.cluster.trim(), binding: draft.binding.trim() });
  };
  const all = cluster ? (one.data?.cluster?.drift.findings ?? []) : paged.rows;
  const rows = all.filter((f) => (!kind || f.kind === kind) && (!binding || f.binding === binding));
  const res = cluster ? one : fleet;
  return (
    <>
      <h1>Drift</h1>
      <form className="filters" onSubmit={submit} role="search">
        <label htmlFor="kind">Kind</label>
        <select id="kind" value={kind} onChange={(e) => go({ kind: e.target.value })}>
          <option value="">any</option>
          {['missing', 'modified', 'unexpected', 'conflict'].map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <label htmlFor="d-cluster">Cluster</label>
        <input id="d-cluster" value={draft.cluster} onChange={(e) => setDraft({ ...draft, cluster: e.target.value })} />
        <label htmlFor="d-binding">Binding</label>
        <input id="d-binding" value={draft.binding} onChange={(e) => setDraft({ ...draft, binding: e.target.value })} />
        <button type="submit" className="primary">
          Filter
        </button>
        {atLeast(me.role, 'operator') && (
          <button
            type="button"
            disabled={scanState.fetching}
            onClick={async () => {
              const r = await scan({ cluster: cluster || null });
              if (r.data) setScanned(`Scan queued for ${r.data.requestDriftScan.clusters} cluster(s) at ${new Date().toLocaleTimeString()}; findings appear here as they open.`);
            }}
          >
            {cluster ? `Scan ${cluster} now` : 'Scan the fleet now'}
          </button>
        )}
      </form>
      <ErrorNote error={scanState.error} />
      {scanned && <p role="status">{scanned}</p>}
      {!cluster && fleet.data && (
        <p>
          <strong className="num">{fleet.data.driftSummary.drifted}</strong> of <span className="num">{fleet.data.driftSummary.total}</span> clusters drifted.
        </p>
      )}
      <ErrorNote error={res.error} />
      {res.fetching && !res.data && <Loading what="Loading findings" />}
      {cluster && one.data && !one.data.cluster && <Empty>No cluster named {cluster}.</Empty>}
      {res.data && rows.length === 0 && <Empty>No open findings{kind || cluster || binding ? ' for this filter' : ''}: every scanned cluster holds what it should.</Empty>}
      {rows.length > 0 && (
        <ul className="findings" aria-label="Open findings">
          {rows.map((f) => (
            <li key={f.id} className="finding">
              <div>
                <Badge value={f.kind} /> <strong>{f.target.namespace}/{f.target.name}</strong> · cluster <Link to={`/clusters/${encodeURIComponent(f.clusterName)}`}>{f.clusterName}</Link>
                {f.target.cluster !== f.clusterName && <> (held by {f.target.cluster})</>} · {f.status}
                {f.stale && <Badge value="stale" title="the cluster was unreachable at its last scan" />} · binding {f.binding ?? '—'} ({f.driftMode ?? '—'}) · changed by <strong>{f.changedBy ?? 'unknown'}</strong> · first seen <Time at={f.firstSeenAt} />
              </div>
              <FindingDiff f={f} />
            </li>
          ))}
        </ul>
      )}
      {!cluster && <ErrorNote error={paged.moreError} />}
      {!cluster && paged.hasNextPage && (
        <button type="button" onClick={() => void paged.loadMore()} disabled={paged.loadingMore}>
          {paged.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}
