import { gql, useMutation, useQuery, useSubscription } from 'urql';
import type { Me } from '../app.js';
import { ROLLOUT_FIELDS, type Rollout, describeChange, describeSelection, finished } from '../fragments.js';
import { Link, navigate } from '../router.js';
import { atLeast } from '../session.js';
import { Badge, ConfirmButton, Empty, ErrorNote, Loading, Num, Progress, Time } from '../ui.js';

const ROLLOUT = gql`
  query RolloutPage($id: ID!) {
    rollout(id: $id) {
      ...RolloutFields
    }
  }
  ${ROLLOUT_FIELDS}
`;

const PROGRESS = gql`
  subscription RolloutProgress($id: ID!) {
    rolloutProgress(id: $id) {
      ...RolloutFields
    }
  }
  ${ROLLOUT_FIELDS}
`;

interface Target {
  clusterName: string;
  wave: number;
  state: string;
  attempts: number;
  created: number;
  configured: number;
  unchanged: number;
  pruned: number;
  durationMs: number | null;
  error: string | null;
  errorKind: string | null;
  objects: Array<{ cluster: string; namespace: string; name: string; action: string; diff: Array<{ path: string; before: unknown; after: unknown }> | null }> | null;
}

const TARGETS = gql`
  query RolloutTargets($id: ID!, $state: TargetState, $first: Int!) {
    rollout(id: $id) {
      id
      targets(state: $state, first: $first) {
        edges {
          node {
            clusterName
            wave
            state
            attempts
            created
            configured
            unchanged
            pruned
            durationMs
            error
            errorKind
            objects {
              cluster
              namespace
              name
              action
              diff {
                path
                before
                after
              }
            }
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`;

const AUDIT = gql`
  query RolloutAudit($subject: String!) {
    auditEvents(subject: $subject, first: 10) {
      edges {
        node {
          id
          action
          actor
          createdAt
          requestId
        }
      }
    }
  }
`;

const CONTROL = {
  pause: gql`mutation Pause($id: ID!) { pauseRollout(id: $id) { ...RolloutFields } } ${ROLLOUT_FIELDS}`,
  resume: gql`mutation Resume($id: ID!) { resumeRollout(id: $id) { ...RolloutFields } } ${ROLLOUT_FIELDS}`,
  approve: gql`mutation Approve($id: ID!) { approveRollout(id: $id) { ...RolloutFields } } ${ROLLOUT_FIELDS}`,
  cancel: gql`mutation Cancel($id: ID!) { cancelRollout(id: $id) { ...RolloutFields } } ${ROLLOUT_FIELDS}`,
  rollback: gql`mutation Rollback($id: ID!) { rollbackRollout(id: $id) { ...RolloutFields } } ${ROLLOUT_FIELDS}`,
};

/** Per-target results: failed ones with their errors, or (dry run) what each target would do. */
export function TargetList({ id, state, title, first = 50, withObjects = false }: { id: string; state?: string; title: string; first?: number; withObjects?: boolean }) {
  const [res] = useQuery<{ rollout: { targets: { edges: Array<{ node: Target }>; pageInfo: { hasNextPage: boolean } } } }>({ query: TARGETS, variables: { id, state: state ?? null, first }, requestPolicy: 'network-only' });
  const rows = res.data?.rollout.targets.edges.map((e) => e.node) ?? [];
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {res.fetching && !res.data && <Loading />}
      <ErrorNote error={res.error} />
      {res.data && rows.length === 0 && <Empty>None.</Empty>}
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              <th scope="col">Wave</th>
              <th scope="col">State</th>
              <th scope="col" className="num">
                Created
              </th>
              <th scope="col" className="num">
                Changed
              </th>
              <th scope="col" className="num">
                Unchanged
              </th>
              <th scope="col" className="num">
                Pruned
              </th>
              <th scope="col">{withObjects ? 'Objects' : 'Error'}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.clusterName}>
                <td>
                  <Link to={`/clusters/${encodeURIComponent(t.clusterName)}`}>{t.clusterName}</Link>
                </td>
                <td className="num">{t.wave + 1}</td>
                <td>
                  <Badge value={t.state} />
                </td>
                <td className="num">{t.created}</td>
                <td className="num">{t.configured}</td>
                <td className="num">{t.unchanged}</td>
                <td className="num">{t.pruned}</td>
                <td>
                  {withObjects ? (
                    <ul className="objects">
                      {(t.objects ?? []).map((o) => (
                        <li key={`${o.cluster}/${o.namespace}/${o.name}`}>
                          <Badge value={o.action} /> {o.cluster}/{o.namespace}/{o.name}
                          {o.diff && o.diff.length > 0 && <span className="muted small"> ({o.diff.map((d) => d.path).join(', ')})</span>}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="error-text">
                      {t.errorKind && <Badge value={t.errorKind} />} {t.error ?? ''}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {res.data?.rollout.targets.pageInfo.hasNextPage && <p className="muted small">The first {first} are shown.</p>}
    </section>
  );
}

function Audited({ r, action }: { r: Rollout; action: string }) {
  const [audit] = useQuery<{ auditEvents: { edges: Array<{ node: { id: string; action: string; actor: string; createdAt: string; requestId: string | null } }> } }>({
    query: AUDIT,
    variables: { subject: `rollout/${r.id}` },
    requestPolicy: 'network-only',
  });
  const e = audit.data?.auditEvents.edges.map((x) => x.node).find((n) => n.action === `rollout.${action}` || (action === 'rollback' && n.action === 'rollout.start'));
  return (
    <div>
      <p>
        Done: the rollout is now <Badge value={r.status} />
        {r.awaitingApproval ? ' (awaiting approval)' : ''}.
      </p>
      {e ? (
        <p className="small">
          Audited as <code>{e.action}</code> by <strong>{e.actor}</strong> <Time at={e.createdAt} /> (request <code>{e.requestId ?? '—'}</code>).
        </p>
      ) : (
        <p className="small muted">Looking up the audit event…</p>
      )}
    </div>
  );
}

export function RolloutPage({ id, me }: { id: string; me: Me }) {
  const [initial] = useQuery<{ rollout: Rollout }>({ query: ROLLOUT, variables: { id } });
  const [live] = useSubscription<{ rolloutProgress: Rollout }>({ query: PROGRESS, variables: { id } });
  const [, pause] = useMutation(CONTROL.pause);
  const [, resume] = useMutation(CONTROL.resume);
  const [, approve] = useMutation(CONTROL.approve);
  const [, cancel] = useMutation(CONTROL.cancel);
  const [, rollback] = useMutation<{ rollbackRollout: Rollout }>(CONTROL.rollback);
  const r = live.data?.rolloutProgress ?? initial.data?.rollout;
  if (!r && initial.fetching) return <Loading what="Loading the rollout" />;
  if (!r) return <ErrorNote error={initial.error ?? 'No such rollout'} />;
  const terminal = ['succeeded', 'failed', 'cancelled'].includes(r.status);
  const run = (m: typeof pause, action: string, field: string) => async () => {
    const res = await m({ id: r.id });
    if (res.error) throw res.error;
    const next = (res.data as Record<string, Rollout>)[field]!;
    if (action === 'rollback') {
      return (
        <div>
          <p>
            Rollback started: <Link to={`/rollouts/${next.id}`} onClick={() => navigate(`/rollouts/${next.id}`)}>rollout {next.id.slice(0, 8)}</Link> <Badge value={next.status} />
          </p>
          <Audited r={next} action="rollback" />
        </div>
      );
    }
    return <Audited r={next} action={action} />;
  };
  const operator = atLeast(me.role, 'operator');
  const c = r.counts;
  return (
    <>
      <h1>
        {r.dryRun ? 'Dry run' : 'Rollout'} <code>{r.id.slice(0, 8)}</code> <Badge value={r.status} />
        {r.awaitingApproval && <Badge value="awaiting approval" />}
      </h1>
      <p>
        {describeChange(r)} on {describeSelection(r.selection)} · started by <strong>{r.createdBy}</strong> <Time at={r.createdAt} />
        {r.finishedAt && (
          <>
            {' '}
            · finished <Time at={r.finishedAt} />
          </>
        )}
        {r.rollbackOf && (
          <>
            {' '}
            · rolls back <Link to={`/rollouts/${r.rollbackOf}`}>{r.rollbackOf.slice(0, 8)}</Link>
          </>
        )}
      </p>
      {r.reason && <p className="note">{r.reason}</p>}
      {r.nextWaveAt && !terminal && (
        <p>
          Next wave <Time at={r.nextWaveAt} />
        </p>
      )}
      {operator && !r.dryRun && (
        <div className="actions" aria-label="Rollout actions">
          {/* always rendered (disabled when not applicable), so a dialog showing an outcome stays open while the status changes */}
          <ConfirmButton label="Approve" disabled={!r.awaitingApproval} question={<p>Approve the next wave of rollout {r.id.slice(0, 8)}?</p>} onConfirm={run(approve, 'approve', 'approveRollout')} />
          <ConfirmButton label="Pause" disabled={r.status !== 'running' || r.awaitingApproval} question={<p>Pause rollout {r.id.slice(0, 8)}? Targets already running finish; no new ones start.</p>} onConfirm={run(pause, 'pause', 'pauseRollout')} />
          <ConfirmButton label="Resume" disabled={r.status !== 'paused' || r.awaitingApproval} question={<p>Resume rollout {r.id.slice(0, 8)}?</p>} onConfirm={run(resume, 'resume', 'resumeRollout')} />
          <ConfirmButton label="Cancel" danger disabled={terminal} question={<p>Cancel rollout {r.id.slice(0, 8)}? Targets not started yet are skipped; what was applied stays.</p>} confirmLabel="Cancel the rollout" onConfirm={run(cancel, 'cancel', 'cancelRollout')} />
          {r.kind !== 'rollback' && (
            <ConfirmButton label="Roll back" danger disabled={!terminal} question={<p>Start a rollout that restores what rollout {r.id.slice(0, 8)} changed on its {c.succeeded} succeeded targets?</p>} onConfirm={run(rollback, 'rollback', 'rollbackRollout')} />
          )}
        </div>
      )}
      <section aria-labelledby="progress-h">
        <h2 id="progress-h">Progress</h2>
        <Progress done={finished(c)} failed={c.failed} total={c.total} label="Overall progress" />
        <table className="counts">
          <thead>
            <tr>
              {(['pending', 'queued', 'running', 'succeeded', 'failed', 'skipped', 'total'] as const).map((k) => (
                <th scope="col" key={k} className="num">
                  {k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              {(['pending', 'queued', 'running', 'succeeded', 'failed', 'skipped', 'total'] as const).map((k) => (
                <td key={k} className="num">
                  <Num value={c[k]} />
                </td>
              ))}
            </tr>
          </tbody>
        </table>
        <h3>Waves</h3>
        {r.waves.length === 0 ? (
          <Empty>No targets.</Empty>
        ) : (
          <ol className="waves">
            {r.waves.map((w) => (
              <li key={w.index} aria-current={w.index === r.currentWave && !terminal ? 'step' : undefined}>
                <span className="wave-label">
                  Wave {w.index + 1} <Badge value={w.status} />
                </span>
                <Progress done={finished(w.counts)} failed={w.counts.failed} total={w.counts.total} label={`Wave ${w.index + 1} progress`} />
              </li>
            ))}
          </ol>
        )}
        <p className="muted small">
          Strategy: waves {r.strategy.waves.map((w) => (w.count !== null ? w.count : w.percent !== null ? `${w.percent}%` : `${w.clusters?.length} named`)).join(', ')} · {r.strategy.maxConcurrency} at a time · pause between waves{' '}
          {r.strategy.pauseBetweenWaves ?? 'none'} · failure budget canary {r.strategy.failureBudget.canary.count ?? `${r.strategy.failureBudget.canary.percent}%`} then{' '}
          {r.strategy.failureBudget.rest.count ?? `${r.strategy.failureBudget.rest.percent}%`} ({r.strategy.failureBudget.rest.action})
        </p>
      </section>
      {r.dryRun ? <TargetList key={`${r.status}`} id={r.id} title="What each target would do" withObjects /> : c.failed > 0 && <TargetList key={`f${c.failed}`} id={r.id} state="failed" title="Failed targets" />}
    </>
  );
}
