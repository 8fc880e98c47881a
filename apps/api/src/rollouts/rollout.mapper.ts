import type { RolloutChange, RolloutDetail, RolloutTarget, StartRolloutInput as CoreStartInput, StrategyInput, WaveSpec } from '@fleetgate/core';
import { ClusterRoleEnum } from '../clusters/cluster.model.js';
import {
  FailureActionEnum,
  ObjectActionEnum,
  RolloutKindEnum,
  RolloutStatusEnum,
  TargetStateEnum,
  WaveStatusEnum,
  type FailureBudgetModel,
  type RolloutChangeModel,
  type RolloutModel,
  type RolloutStrategyInput,
  type RolloutTargetModel,
  type StartRolloutInput,
  type WaveSpecModel,
} from './rollout.model.js';
import { skippedObjects } from './rollout.dto.js';

/** Drops null and undefined members: GraphQL sends null for an omitted optional input field, the zod schemas want it absent. */
function present<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: Exclude<T[K], null> };
}

function toChangeModel(c: RolloutChange): RolloutChangeModel {
  switch (c.kind) {
    case 'gate':
      return { kind: RolloutKindEnum.gate, gate: c.gate, enabled: c.enabled };
    case 'binding':
      return { kind: RolloutKindEnum.binding, binding: c.binding, bindingId: c.bindingId };
    case 'rollback':
      return { kind: RolloutKindEnum.rollback, rollbackOf: c.rollbackOf };
    case 'repair':
      return { kind: RolloutKindEnum.repair };
    case 'sync':
      return { kind: RolloutKindEnum.sync };
  }
}

const toWaveSpecModel = (w: WaveSpec): WaveSpecModel => ({
  clusters: 'clusters' in w ? w.clusters : null,
  count: 'count' in w ? w.count : null,
  percent: 'percent' in w ? w.percent : null,
});

const toBudgetModel = (b: { count?: number; percent?: number; action: 'pause' | 'abort' }): FailureBudgetModel => ({
  count: b.count ?? null,
  percent: b.percent ?? null,
  action: FailureActionEnum[b.action],
});

/** A rollout as GraphQL shows it. */
export function toRolloutModel(r: RolloutDetail): RolloutModel {
  const pause = r.strategy.pauseBetweenWaves;
  return {
    id: r.id,
    seq: r.seq,
    kind: RolloutKindEnum[r.kind],
    status: RolloutStatusEnum[r.status],
    change: toChangeModel(r.change),
    selection: { labelSelector: r.selection.labelSelector ?? null, role: r.selection.role ? ClusterRoleEnum[r.selection.role] : null, clusters: r.selection.clusters ?? null },
    strategy: {
      waves: r.strategy.waves.map(toWaveSpecModel),
      maxConcurrency: r.strategy.maxConcurrency,
      failureBudget: { canary: toBudgetModel(r.strategy.canaryBudget), rest: toBudgetModel(r.strategy.budget) },
      pauseBetweenWaves: pause.kind === 'manual' ? 'manual' : pause.kind === 'wait' ? pause.text : null,
    },
    dryRun: r.dryRun,
    currentWave: r.currentWave,
    awaitingApproval: r.awaitingApproval,
    nextWaveAt: r.nextWaveAt,
    reason: r.reason,
    rollbackOf: r.rollbackOfId,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    counts: r.counts,
    waves: r.waves.map((w) => ({ index: w.index, status: WaveStatusEnum[w.status], counts: w.counts })),
  };
}

export function toRolloutTargetModel(t: RolloutTarget): RolloutTargetModel {
  return {
    clusterId: t.clusterId,
    position: t.position,
    clusterName: t.clusterName,
    wave: t.wave,
    state: TargetStateEnum[t.state],
    attempts: t.attempts,
    created: t.created,
    configured: t.configured,
    unchanged: t.unchanged,
    pruned: t.pruned,
    skipped: skippedObjects(t),
    retries: t.retries,
    durationMs: t.durationMs,
    error: t.error,
    errorKind: t.errorKind,
    objects:
      t.objects?.map((o) => ({
        cluster: o.cluster,
        namespace: o.namespace,
        name: o.name,
        action: ObjectActionEnum[o.action],
        diff: o.diff?.map((d) => ({ path: d.path, before: d.before ?? null, after: d.after ?? null })) ?? null,
        reason: o.reason ?? null,
      })) ?? null,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
  };
}

/** The GraphQL strategy input as the service's strategy input (validated there, with field paths). */
export function toStrategyInput(s: RolloutStrategyInput | null | undefined): StrategyInput | undefined {
  if (!s) return undefined;
  return present({
    waves: s.waves?.map((w) => present(w)) as StrategyInput['waves'],
    maxConcurrency: s.maxConcurrency,
    failureBudget: s.failureBudget ? (present(s.failureBudget) as StrategyInput['failureBudget']) : null,
    pauseBetweenWaves: s.pauseBetweenWaves,
  });
}

/** `startRollout`'s input as the body of POST /api/v1/rollouts (the service validates it with the same schema). */
export function toStartRolloutData(input: StartRolloutInput): CoreStartInput {
  return present({
    change: present(input.change) as CoreStartInput['change'],
    targets: input.targets ? present(input.targets) : null,
    strategy: toStrategyInput(input.strategy),
    dryRun: input.dryRun,
  }) as CoreStartInput;
}
