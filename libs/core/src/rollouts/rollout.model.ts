import type { AssignedPolicy } from '../desired-state/assigned-state.repository.js';
import type { Strategy } from './rollout-strategy.builder.js';

export const ROLLOUT_KINDS = ['gate', 'binding', 'rollback', 'repair', 'sync'] as const;
export type RolloutKind = (typeof ROLLOUT_KINDS)[number];
export const ROLLOUT_STATUSES = ['pending', 'running', 'paused', 'succeeded', 'failed', 'cancelled'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];
export const TARGET_STATES = ['pending', 'queued', 'running', 'succeeded', 'failed', 'skipped', 'superseded'] as const;
/** Target states after which nothing more happens to the target (retry aside). */
export const TERMINAL_TARGET: readonly TargetState[] = ['succeeded', 'failed', 'skipped', 'superseded'];
export type TargetState = (typeof TARGET_STATES)[number];
export const TERMINAL_ROLLOUT: readonly RolloutStatus[] = ['succeeded', 'failed', 'cancelled'];

/** What a rollout changes. */
export type RolloutChange =
  | { kind: 'gate'; gate: string; enabled: boolean }
  | { kind: 'binding'; bindingId: string | null; binding: string }
  | { kind: 'rollback'; rollbackOf: string }
  | { kind: 'repair' }
  | { kind: 'sync' };

export interface RolloutSelection {
  labelSelector?: string | undefined;
  role?: 'seed' | 'user' | undefined;
  clusters?: string[] | undefined;
}

export interface Rollout {
  id: string;
  seq: number;
  kind: RolloutKind;
  status: RolloutStatus;
  change: RolloutChange;
  selection: RolloutSelection;
  strategy: Strategy & { acceptedFailures?: Record<string, number> };
  dryRun: boolean;
  currentWave: number;
  waveCount: number;
  awaitingApproval: boolean;
  nextWaveAt: Date | null;
  reason: string | null;
  rollbackOfId: string | null;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** The assigned state of a cluster before a target ran (what rollback restores). */
export interface BeforeState {
  policies: Array<Omit<AssignedPolicy, 'clusterId' | 'assignedAt' | 'rolloutId'>>;
  /** gate values before (null: the gate had no explicit value) */
  gates: Record<string, boolean | null>;
}

export interface ObjectOutcome {
  cluster: string;
  namespace: string;
  name: string;
  /** `skipped`: a foreign object holds the name and was left alone (repair rollouts only; others fail) */
  action: 'created' | 'configured' | 'unchanged' | 'pruned' | 'skipped';
  diff?: Array<{ path: string; before: unknown; after: unknown }>;
  /** for `skipped`: why */
  reason?: string;
}

export interface RolloutTarget {
  id: string;
  rolloutId: string;
  clusterId: string;
  clusterName: string;
  wave: number;
  position: number;
  state: TargetState;
  attempts: number;
  created: number;
  configured: number;
  unchanged: number;
  pruned: number;
  retries: number;
  requests: number;
  durationMs: number | null;
  error: string | null;
  errorKind: string | null;
  before: BeforeState | null;
  objects: ObjectOutcome[] | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export type StateCounts = Record<TargetState, number>;

export interface RolloutDetail extends Rollout {
  counts: StateCounts & { total: number };
  waves: Array<{ index: number; counts: StateCounts & { total: number }; status: 'pending' | 'running' | 'done' | 'cancelled' }>;
}

export interface TargetResult {
  state: 'succeeded' | 'failed';
  created: number;
  configured: number;
  unchanged: number;
  pruned: number;
  retries: number;
  requests: number;
  durationMs: number;
  error: string | null;
  errorKind: string | null;
  objects: ObjectOutcome[] | null;
}

export const emptyCounts = (): StateCounts => ({ pending: 0, queued: 0, running: 0, succeeded: 0, failed: 0, skipped: 0, superseded: 0 });
