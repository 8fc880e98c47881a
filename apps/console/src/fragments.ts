import { gql } from 'urql';

/** What a rollout row needs, everywhere. */
export const ROLLOUT_FIELDS = gql`
  fragment RolloutFields on Rollout {
    id
    kind
    status
    dryRun
    currentWave
    awaitingApproval
    nextWaveAt
    reason
    rollbackOf
    createdBy
    createdAt
    startedAt
    finishedAt
    change {
      __typename
      ... on GateChange {
        gate
        enabled
      }
      ... on BindingChange {
        binding
      }
      ... on RollbackChange {
        rollbackOf
      }
    }
    selection {
      labelSelector
      role
      clusters
    }
    strategy {
      waves {
        count
        percent
        clusters
      }
      maxConcurrency
      pauseBetweenWaves
      failureBudget {
        canary {
          count
          percent
          action
        }
        rest {
          count
          percent
          action
        }
      }
    }
    counts {
      pending
      queued
      running
      succeeded
      failed
      skipped
      total
    }
    waves {
      index
      status
      counts {
        pending
        queued
        running
        succeeded
        failed
        skipped
        total
      }
    }
  }
`;

export interface Counts {
  pending: number;
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  skipped: number;
  total: number;
}

export interface Rollout {
  id: string;
  kind: string;
  status: string;
  dryRun: boolean;
  currentWave: number;
  awaitingApproval: boolean;
  nextWaveAt: string | null;
  reason: string | null;
  rollbackOf: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  change: { __typename: string; gate?: string; enabled?: boolean; binding?: string; rollbackOf?: string };
  selection: { labelSelector: string | null; role: string | null; clusters: string[] | null };
  strategy: {
    waves: Array<{ count: number | null; percent: number | null; clusters: string[] | null }>;
    maxConcurrency: number;
    pauseBetweenWaves: string | null;
    failureBudget: { canary: { count: number | null; percent: number | null; action: string }; rest: { count: number | null; percent: number | null; action: string } };
  };
  counts: Counts;
  waves: Array<{ index: number; status: string; counts: Counts }>;
}

export const finished = (c: Counts) => c.succeeded + c.failed + c.skipped;

export function describeChange(r: Pick<Rollout, 'kind' | 'change'>): string {
  const c = r.change;
  if (c.__typename === 'GateChange') return `gate ${c.gate} → ${c.enabled ? 'on' : 'off'}`;
  if (c.__typename === 'BindingChange') return `binding ${c.binding}`;
  if (c.__typename === 'RollbackChange') return `rollback of ${c.rollbackOf?.slice(0, 8)}`;
  return r.kind;
}

export function describeSelection(s: Rollout['selection']): string {
  const parts = [];
  if (s.labelSelector) parts.push(s.labelSelector);
  if (s.role) parts.push(`role=${s.role}`);
  if (s.clusters) parts.push(`${s.clusters.length} named clusters`);
  return parts.join(', ') || 'every cluster';
}
