import { gql, useQuery, useSubscription } from 'urql';
import type { Me } from '../app.js';
import { ROLLOUT_FIELDS, type Rollout, describeChange } from '../fragments.js';
import { Link } from '../router.js';
import { Badge, Empty, ErrorNote, Loading, Num, Time } from '../ui.js';

interface Finding {
  id: string;
  kind: string;
  status: string;
  target: { cluster: string; namespace: string; name: string };
  diff: Array<{ path: string; expected: unknown; actual: unknown }>;
  changedBy: string | null;
  binding: string | null;
  driftMode: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  resolution: string | null;
}

const FINDING = `id kind status target { cluster namespace name } diff { path expected actual } changedBy binding driftMode firstSeenAt lastSeenAt resolvedAt resolution`;

const CLUSTER = gql`
  query ClusterPage($name: String!) {
    cluster(name: $name) {
      id
      name
      role
      server
      controlPlaneNamespace
      seed {
        name
      }
      userClusterCount
      labels {
        key
        value
      }
      networks {
        pods
        services
        nodes
      }
      health {
        status
        kubernetesVersion
        latencyMs
        lastCheckedAt
        lastError
      }
      featureGates {
        key
        enabled
        source
        since
        rolloutId
      }
      desiredPolicies {
        name
        hash
        driftMode
        target {
          cluster
          namespace
        }
        origin {
          binding
          template
          version
          gate
        }
      }
      drift {
        state
        lastScanAt
        openFindings
        findings { ${FINDING} }
      }
      resolvedFindings(last: 20) { ${FINDING} }
      networkPolicyEnforcement {
        status
        cni
        cniVersion
      }
      inventory {
        status
        observedAt
        error
        serverVersion
        counts {
          namespaces
          pods
          services
        }
        truncated
        serviceErrors {
          service
          annotation
          message
        }
      }
    }
    rollouts(cluster: $name, first: 20) {
      edges {
        node {
          ...RolloutFields
        }
      }
    }
  }
  ${ROLLOUT_FIELDS}
`;

const EVENTS = gql`
  subscription ClusterDrift($name: String) {
    driftEvents(cluster: $name) {
      type
      at
    }
  }
`;

interface ClusterData {
  cluster: {
    name: string;
    role: string;
    server: string;
    controlPlaneNamespace: string | null;
    seed: { name: string } | null;
    userClusterCount: number;
    labels: Array<{ key: string; value: string }>;
    networks: { pods: string | null; services: string | null; nodes: string | null };
    health: { status: string; kubernetesVersion: string | null; latencyMs: number | null; lastCheckedAt: string | null; lastError: string | null };
    featureGates: Array<{ key: string; enabled: boolean; source: string; since: string | null; rolloutId: string | null }>;
    desiredPolicies: Array<{ name: string; hash: string; driftMode: string; target: { cluster: string; namespace: string | null }; origin: { binding: string; template: string; version: number; gate: string | null } }>;
    drift: { state: string; lastScanAt: string | null; openFindings: number; findings: Finding[] };
    resolvedFindings: Finding[];
    networkPolicyEnforcement: Enforcement;
    inventory: Inventory | null;
  } | null;
  rollouts: { edges: Array<{ node: Rollout }> };
}

interface Enforcement {
  status: 'enforced' | 'not_enforced' | 'unknown';
  cni: string | null;
  cniVersion: string | null;
}

interface Inventory {
  status: string;
  observedAt: string;
  error: string | null;
  serverVersion: string | null;
  counts: { namespaces: number; pods: number; services: number };
  truncated: string[];
  serviceErrors: Array<{ service: string; annotation: string; message: string }>;
}

export function InventorySummary({ inventory: inv, enforcement: np }: { inventory: Inventory | null; enforcement: Enforcement }) {
  const cni = np.cni ? `${np.cni}${np.cniVersion ? ` ${np.cniVersion}` : ''}` : 'CNI unknown';
  return (
    <section aria-labelledby="inventory-h">
      <h2 id="inventory-h">Inventory</h2>
      <dl className="facts" aria-label="NetworkPolicy enforcement">
        <dt>NetworkPolicies</dt>
        <dd>
          <Badge value={np.status.replace('_', ' ')} /> · {cni}
        </dd>
      </dl>
      {!inv ? (
        <Empty>No inventory scanned yet.</Empty>
      ) : (
        <>
          <dl className="facts">
            <dt>Observed</dt>
            <dd>
              <Time at={inv.observedAt} /> · <Badge value={inv.status} title={inv.error ?? undefined} />
              {inv.error && <span className="muted"> {inv.error}</span>}
            </dd>
            <dt>Truncated</dt>
            <dd>{inv.truncated.length ? <strong>yes: {inv.truncated.join(', ')} cut at the size limit</strong> : 'no'}</dd>
          </dl>
          <table aria-label="Inventory counts" className="counts">
            <thead>
              <tr>
                <th scope="col" className="num">Namespaces</th>
                <th scope="col" className="num">Pods</th>
                <th scope="col" className="num">Services</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td className="num">{inv.counts.namespaces}</td>
                <td className="num">{inv.counts.pods}</td>
                <td className="num">{inv.counts.services}</td>
              </tr>
            </tbody>
          </table>
          {inv.serviceErrors.length > 0 && (
            <table aria-label="Service annotation errors">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Annotation</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {inv.serviceErrors.map((e) => (
                  <tr key={`${e.service}/${e.annotation}`}>
                    <td>{e.service}</td>
                    <td>
                      <code>{e.annotation}</code>
                    </td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

const json = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v));

export function FindingDiff({ f }: { f: Finding }) {
  if (f.diff.length === 0) return <span className="muted">{f.kind === 'missing' ? 'the object is gone' : f.kind === 'unexpected' ? 'should not be there' : 'no field diff'}</span>;
  return (
    <table className="diff">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Expected</th>
          <th scope="col">Live</th>
        </tr>
      </thead>
      <tbody>
        {f.diff.map((d) => (
          <tr key={d.path}>
            <td>
              <code>{d.path}</code>
            </td>
            <td className="del">
              <code>{json(d.expected)}</code>
            </td>
            <td className="add">
              <code>{json(d.actual)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ClusterPage({ name }: { name: string; me: Me }) {
  const [res, refetch] = useQuery<ClusterData>({ query: CLUSTER, variables: { name } });
  useSubscription({ query: EVENTS, variables: { name } }, (_prev, data) => {
    refetch({ requestPolicy: 'network-only' });
    return data;
  });
  if (res.fetching && !res.data) return <Loading what={`Loading ${name}`} />;
  if (res.error) return <ErrorNote error={res.error} />;
  const c = res.data?.cluster;
  if (!c) return <Empty>No cluster named {name}.</Empty>;
  const timeline = [
    ...res.data!.rollouts.edges.map(({ node: r }) => ({ at: r.createdAt, key: `r${r.id}`, what: <><Link to={`/rollouts/${r.id}`}>{r.dryRun ? 'Dry run' : 'Rollout'} {r.id.slice(0, 8)}</Link>: {describeChange(r)} <Badge value={r.status} /> by {r.createdBy}</> })),
    ...[...c.drift.findings, ...c.resolvedFindings].flatMap((f) => [
      { at: f.firstSeenAt, key: `o${f.id}`, what: <>Drift opened: <Badge value={f.kind} /> {f.target.namespace}/{f.target.name}{f.changedBy ? ` (changed by ${f.changedBy})` : ''}</> },
      ...(f.resolvedAt ? [{ at: f.resolvedAt, key: `c${f.id}`, what: <>Drift resolved ({f.resolution?.replace(/_/g, ' ')}): {f.target.namespace}/{f.target.name}</> }] : []),
    ]),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <>
      <h1>
        {c.name} <Badge value={c.role} /> <Badge value={c.health.status} title={c.health.lastError ?? undefined} /> <Badge value={c.drift.state} />
      </h1>
      <dl className="facts">
        <dt>Server</dt>
        <dd>
          <code>{c.server}</code>
        </dd>
        {c.seed && (
          <>
            <dt>Seed</dt>
            <dd>
              <Link to={`/clusters/${encodeURIComponent(c.seed.name)}`}>{c.seed.name}</Link> (control plane in <code>{c.controlPlaneNamespace}</code>)
            </dd>
          </>
        )}
        {c.role === 'seed' && (
          <>
            <dt>User clusters</dt>
            <dd>
              <Link to={`/?seed=${encodeURIComponent(c.name)}`}>
                <Num value={c.userClusterCount} />
              </Link>
            </dd>
          </>
        )}
        <dt>Labels</dt>
        <dd>{c.labels.length ? c.labels.map((l) => <code key={l.key} className="label">{l.key}={l.value}</code>) : <span className="muted">none</span>}</dd>
        <dt>Kubernetes</dt>
        <dd>
          {c.health.kubernetesVersion ?? '—'} · latency <Num value={c.health.latencyMs} /> ms · checked <Time at={c.health.lastCheckedAt} />
        </dd>
        <dt>Networks</dt>
        <dd>
          pods {c.networks.pods ?? '—'} · services {c.networks.services ?? '—'} · nodes {c.networks.nodes ?? '—'}
        </dd>
        <dt>Last drift scan</dt>
        <dd>
          <Time at={c.drift.lastScanAt} />
        </dd>
      </dl>
      <InventorySummary inventory={c.inventory} enforcement={c.networkPolicyEnforcement} />
      <section aria-labelledby="gates-h">
        <h2 id="gates-h">Feature gates</h2>
        {c.featureGates.length === 0 ? (
          <Empty>No gates defined.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Gate</th>
                <th scope="col">Value</th>
                <th scope="col">Source</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {c.featureGates.map((g) => (
                <tr key={g.key}>
                  <td>{g.key}</td>
                  <td>
                    <Badge value={g.enabled ? 'on' : 'off'} />
                  </td>
                  <td>
                    {g.source}
                    {g.rolloutId && (
                      <>
                        {' '}
                        (<Link to={`/rollouts/${g.rolloutId}`}>rollout {g.rolloutId.slice(0, 8)}</Link>)
                      </>
                    )}
                  </td>
                  <td>
                    <Time at={g.since} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="drift-h">
        <h2 id="drift-h">
          Drift findings <span className="num muted">({c.drift.openFindings})</span>
        </h2>
        {c.drift.findings.length === 0 ? (
          <Empty>No open findings: the cluster holds what it should (at its last scan).</Empty>
        ) : (
          <ul className="findings">
            {c.drift.findings.map((f) => (
              <li key={f.id} className="finding">
                <div>
                  <Badge value={f.kind} /> <strong>{f.target.namespace}/{f.target.name}</strong> on {f.target.cluster} · {f.status} · binding {f.binding ?? '—'} ({f.driftMode ?? '—'}) · changed by <strong>{f.changedBy ?? 'unknown'}</strong> · first seen <Time at={f.firstSeenAt} />
                </div>
                <FindingDiff f={f} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="desired-h">
        <h2 id="desired-h">
          Desired policies <span className="num muted">({c.desiredPolicies.length})</span>
        </h2>
        {c.desiredPolicies.length === 0 ? (
          <Empty>No policy is desired here.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Where</th>
                <th scope="col">Binding</th>
                <th scope="col">Template</th>
                <th scope="col">Gate</th>
                <th scope="col">Drift mode</th>
              </tr>
            </thead>
            <tbody>
              {c.desiredPolicies.map((p) => (
                <tr key={`${p.target.cluster}/${p.target.namespace}/${p.name}`}>
                  <td>{p.name}</td>
                  <td>
                    {p.target.cluster}/{p.target.namespace ?? '*'}
                  </td>
                  <td>{p.origin.binding}</td>
                  <td>
                    {p.origin.template} v{p.origin.version}
                  </td>
                  <td>{p.origin.gate ?? '—'}</td>
                  <td>{p.driftMode}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        {timeline.length === 0 ? (
          <Empty>Nothing happened here yet.</Empty>
        ) : (
          <ol className="timeline">
            {timeline.map((t) => (
              <li key={t.key}>
                <Time at={t.at} />
                <div>{t.what}</div>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
