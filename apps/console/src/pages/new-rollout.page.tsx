import { type FormEvent, useState } from 'react';
import { gql, useMutation, useQuery, useSubscription } from 'urql';
import type { Me } from '../app.js';
import { ROLLOUT_FIELDS, type Rollout, describeSelection, finished } from '../fragments.js';
import { navigate } from '../router.js';
import { atLeast } from '../session.js';
import { Badge, ConfirmButton, Empty, ErrorNote, Loading, Progress } from '../ui.js';
import { TargetList } from './rollout.page.js';

const GATES = gql`
  query Gates {
    featureGates(first: 100) {
      edges {
        node {
          key
          description
          default
        }
      }
    }
  }
`;

const START = gql`
  mutation StartRollout($input: StartRolloutInput!) {
    startRollout(input: $input) {
      ...RolloutFields
    }
  }
  ${ROLLOUT_FIELDS}
`;

const PROGRESS = gql`
  subscription DryRunProgress($id: ID!) {
    rolloutProgress(id: $id) {
      ...RolloutFields
    }
  }
  ${ROLLOUT_FIELDS}
`;

/** "1, 50%, 100%" as wave specs. */
export function parseWaves(text: string): Array<{ count?: number; percent?: number }> | null {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) return null;
  return parts.map((p) => (p.endsWith('%') ? { percent: Number(p.slice(0, -1)) } : { count: Number(p) }));
}

function DryRun({ id }: { id: string }) {
  const [live] = useSubscription<{ rolloutProgress: Rollout }>({ query: PROGRESS, variables: { id } });
  const r = live.data?.rolloutProgress;
  if (!r) return <Loading what="Computing the dry run" />;
  const done = ['succeeded', 'failed', 'cancelled'].includes(r.status);
  return (
    <section aria-labelledby="dry-h" className="panel">
      <h2 id="dry-h">
        Dry run <Badge value={r.status} />
      </h2>
      <p>
        {r.counts.total} target clusters ({describeSelection(r.selection)}), all in one wave for the preview. Nothing was changed.
      </p>
      <Progress done={finished(r.counts)} failed={r.counts.failed} total={r.counts.total} label="Dry run progress" />
      {done && <TargetList key={r.status} id={r.id} title="What each target would do" withObjects first={25} />}
    </section>
  );
}

export function NewRolloutPage({ me }: { me: Me }) {
  const [gates] = useQuery<{ featureGates: { edges: Array<{ node: { key: string; description: string; default: boolean } }> } }>({ query: GATES });
  const [gate, setGate] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [selector, setSelector] = useState('');
  const [role, setRole] = useState('');
  const [waves, setWaves] = useState('1, 50%, 100%');
  const [maxConcurrency, setMaxConcurrency] = useState('50');
  const [pause, setPause] = useState('');
  const [dryRunId, setDryRunId] = useState<string | null>(null);
  const [startState, start] = useMutation<{ startRollout: Rollout }>(START);
  if (!atLeast(me.role, 'operator')) return <Empty>Starting a rollout needs the operator role; you are signed in as {me.role}.</Empty>;
  const chosen = gate || gates.data?.featureGates.edges[0]?.node.key || '';
  const input = (dryRun: boolean) => ({
    change: { kind: 'gate', gate: chosen, enabled },
    targets: { ...(selector.trim() ? { labelSelector: selector.trim() } : {}), ...(role ? { role } : {}) },
    // the preview covers every target at once (one wave, no pause); the real one uses the strategy
    strategy: dryRun ? { waves: [{ percent: 100 }], maxConcurrency: Number(maxConcurrency) } : { waves: parseWaves(waves), maxConcurrency: Number(maxConcurrency), ...(pause.trim() ? { pauseBetweenWaves: pause.trim() } : {}) },
    dryRun,
  });
  const preview = async (e: FormEvent) => {
    e.preventDefault();
    setDryRunId(null);
    const r = await start({ input: input(true) });
    if (r.data) setDryRunId(r.data.startRollout.id);
  };
  return (
    <>
      <h1>Start a gate rollout</h1>
      {gates.fetching && !gates.data && <Loading what="Loading gates" />}
      <ErrorNote error={gates.error} />
      <form className="form" onSubmit={(e) => void preview(e)}>
        <label htmlFor="gate">Feature gate</label>
        <select id="gate" value={chosen} onChange={(e) => setGate(e.target.value)}>
          {gates.data?.featureGates.edges.map(({ node }) => (
            <option key={node.key} value={node.key}>
              {node.key} (default {node.default ? 'on' : 'off'})
            </option>
          ))}
        </select>
        <fieldset>
          <legend>Value</legend>
          <label>
            <input type="radio" name="enabled" checked={enabled} onChange={() => setEnabled(true)} /> on
          </label>
          <label>
            <input type="radio" name="enabled" checked={!enabled} onChange={() => setEnabled(false)} /> off
          </label>
        </fieldset>
        <label htmlFor="nr-selector">Label selector</label>
        <input id="nr-selector" placeholder="env=prod (empty: every cluster)" value={selector} onChange={(e) => setSelector(e.target.value)} />
        <label htmlFor="nr-role">Role</label>
        <select id="nr-role" value={role} onChange={(e) => setRole(e.target.value)}>
          <option value="">any</option>
          <option value="user">user</option>
          <option value="seed">seed</option>
        </select>
        <label htmlFor="nr-waves">Waves (counts or cumulative %)</label>
        <input id="nr-waves" value={waves} onChange={(e) => setWaves(e.target.value)} />
        <label htmlFor="nr-conc">Max concurrency</label>
        <input id="nr-conc" type="number" min={1} value={maxConcurrency} onChange={(e) => setMaxConcurrency(e.target.value)} />
        <label htmlFor="nr-pause">Pause between waves</label>
        <input id="nr-pause" placeholder='none, "30s", or "manual"' value={pause} onChange={(e) => setPause(e.target.value)} />
        <div className="actions">
          <button type="submit" className="primary" disabled={startState.fetching || !chosen}>
            Preview (dry run)
          </button>
        </div>
      </form>
      <ErrorNote error={startState.error} />
      {dryRunId && (
        <>
          <DryRun id={dryRunId} />
          <div className="actions">
            <ConfirmButton
              label="Start rollout"
              question={
                <p>
                  Turn <strong>{chosen}</strong> {enabled ? 'on' : 'off'} on the clusters of the dry run ({selector || 'every cluster'}{role ? `, ${role}` : ''}) in waves {waves}?
                </p>
              }
              onConfirm={async () => {
                const r = await start({ input: input(false) });
                if (r.error) throw r.error;
                navigate(`/rollouts/${r.data!.startRollout.id}`);
                return <p>Started.</p>;
              }}
            />
          </div>
        </>
      )}
    </>
  );
}
