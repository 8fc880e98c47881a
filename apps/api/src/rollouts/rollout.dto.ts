import { type HistoryEntry, type RolloutDetail, type RolloutTarget, strategyView } from '@fleetgate/core';

/** A rollout as REST shows it (API types are not persistence types). */
export interface RolloutDto {
  id: string;
  kind: string;
  status: string;
  change: Record<string, unknown>;
  targets: Record<string, unknown>;
  strategy: Record<string, unknown>;
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
  counts: Record<string, number>;
  waves: Array<{ index: number; status: string; counts: Record<string, number> }>;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toRolloutDto(r: RolloutDetail): RolloutDto {
  const { kind: _k, ...change } = r.change as Record<string, unknown>;
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    change,
    targets: { ...r.selection },
    strategy: strategyView(r.strategy),
    dryRun: r.dryRun,
    currentWave: r.currentWave,
    awaitingApproval: r.awaitingApproval,
    nextWaveAt: iso(r.nextWaveAt),
    reason: r.reason,
    rollbackOf: r.rollbackOfId,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    counts: r.counts,
    waves: r.waves.map((w) => ({ index: w.index, status: w.status, counts: w.counts })),
  };
}

export interface RolloutTargetDto {
  cluster: { id: string; name: string };
  wave: number;
  state: string;
  attempts: number;
  created: number;
  configured: number;
  unchanged: number;
  pruned: number;
  /** objects a foreign object held, left alone (repairs only): counted from `objects` */
  skipped: number;
  retries: number;
  requests: number;
  durationMs: number | null;
  error: string | null;
  errorKind: string | null;
  gatesBefore: Record<string, boolean | null> | null;
  objects: unknown[] | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** How many of a target's objects were left alone (`action: 'skipped'`); not a column, derived from its per-object results. */
export const skippedObjects = (t: Pick<RolloutTarget, 'objects'>): number => t.objects?.filter((o) => o.action === 'skipped').length ?? 0;

export function toRolloutTargetDto(t: RolloutTarget): RolloutTargetDto {
  return {
    cluster: { id: t.clusterId, name: t.clusterName },
    wave: t.wave,
    state: t.state,
    attempts: t.attempts,
    created: t.created,
    configured: t.configured,
    unchanged: t.unchanged,
    pruned: t.pruned,
    skipped: skippedObjects(t),
    retries: t.retries,
    requests: t.requests,
    durationMs: t.durationMs,
    error: t.error,
    errorKind: t.errorKind,
    gatesBefore: t.before?.gates ?? null,
    objects: t.objects,
    startedAt: iso(t.startedAt),
    finishedAt: iso(t.finishedAt),
  };
}

export function toHistoryDto(h: HistoryEntry): Record<string, unknown> {
  const { kind: _k, ...change } = h.rollout.change as Record<string, unknown>;
  return {
    rollout: { id: h.rollout.id, kind: h.rollout.kind, status: h.rollout.status, change, dryRun: h.rollout.dryRun, createdBy: h.rollout.createdBy, createdAt: h.rollout.createdAt.toISOString(), finishedAt: iso(h.rollout.finishedAt) },
    ...toRolloutTargetDto(h.target),
  };
}
