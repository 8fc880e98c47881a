import { Inject, Injectable } from '@nestjs/common';
import { type Actor, systemActor } from '../auth/actor.js';
import { WriteBatcher } from '../concurrency/index.js';
import { AssignedStateRepository } from '../desired-state/assigned-state.repository.js';
import type { DesiredPolicy } from '../desired-state/desired-state.builder.js';
import { FeatureGateService } from '../feature-gates/feature-gate.service.js';
import { PrismaService } from '../prisma/index.js';
import { RolloutDispatchService } from './rollout-dispatch.service.js';
import type { BeforeState, Rollout, RolloutTarget, TargetResult } from './rollout.model.js';
import { ROLLOUT_OBSERVER, type RolloutObserver } from './rollout-observer.model.js';
import { RolloutRepository } from './rollout.repository.js';
import { RolloutWaveService } from './rollout-wave.service.js';

const actor: Actor = systemActor('worker');

/** A finished target, as the runner hands it over. */
export interface FinishedTarget {
  rollout: Rollout;
  target: RolloutTarget;
  result: TargetResult;
  policies: DesiredPolicy[];
  gates: Record<string, boolean | null>;
}

/**
 * Records finished targets in batches (one transaction per batch, not per target): exactly one
 * terminal result each, the new assigned state and gate values, one audit event each; then
 * observes, publishes progress and advances the waves of the rollouts involved.
 */
@Injectable()
export class RolloutResultsService {
  private readonly batcher = new WriteBatcher<FinishedTarget>((items) => this.record(items), { maxItems: 200, maxWaitMs: 25 });

  constructor(
    private readonly rollouts: RolloutRepository,
    private readonly assigned: AssignedStateRepository,
    private readonly gates: FeatureGateService,
    private readonly prisma: PrismaService,
    private readonly dispatch: RolloutDispatchService,
    private readonly waves: RolloutWaveService,
    @Inject(ROLLOUT_OBSERVER) private readonly observer: RolloutObserver,
  ) {}

  /** Resolves when the result is written (with the batch it joined). */
  submit(item: FinishedTarget): Promise<void> {
    return this.batcher.submit(item);
  }

  /**
   * Records a batch of finished targets in one transaction: exactly one terminal result each
   * (a re-delivered duplicate finds its target finished and changes nothing), the assigned
   * state from before (for rollback), the new assigned state and gate values of the targets
   * that succeeded (not for dry-runs), one audit event each. Then the waves advance.
   */
  private async record(items: FinishedTarget[]): Promise<void> {
    const ids = [...new Set(items.map((i) => i.target.clusterId))];
    const finished = await this.prisma.transaction(async () => {
      const beforeRows = await this.assigned.ofClusters(ids);
      const byCluster = new Map<string, BeforeState['policies']>();
      for (const { clusterId: c, assignedAt: _a, rolloutId: _r, ...p } of beforeRows) byCluster.set(c, [...(byCluster.get(c) ?? []), p]);
      const gateKeys = new Map<string, string[]>();
      for (const i of items) {
        const keys = Object.keys(i.gates);
        if (i.rollout.change.kind === 'gate') keys.push(i.rollout.change.gate);
        if (keys.length) gateKeys.set(i.target.clusterId, [...new Set(keys)]);
      }
      const gateValues = gateKeys.size ? await this.gates.forClusterIds(actor, [...gateKeys.keys()]) : new Map<string, Array<{ key: string; enabled: boolean }>>();
      const beforeOf = (clusterId: string): BeforeState => ({
        policies: byCluster.get(clusterId) ?? [],
        gates: Object.fromEntries((gateKeys.get(clusterId) ?? []).map((k) => [k, gateValues.get(clusterId)?.find((g) => g.key === k)?.enabled ?? null])),
      });
      const done = await this.rollouts.finishMany(items.map((i) => ({ targetId: i.target.id, result: i.result, before: beforeOf(i.target.clusterId) })));
      const first = new Map<string, FinishedTarget>();
      for (const i of items) if (done.has(i.target.id) && !first.has(i.target.id)) first.set(i.target.id, i);
      const applied = [...first.values()].filter((i) => i.result.state === 'succeeded' && !i.rollout.dryRun);
      await this.rollouts.replaceAssigned(applied.map((i) => ({ clusterId: i.target.clusterId, rolloutId: i.rollout.id, policies: i.policies })));
      await this.rollouts.setGateValues(
        applied.flatMap((i) =>
          Object.entries(i.gates)
            .filter((e): e is [string, boolean] => e[1] !== null)
            .map(([key, enabled]) => ({ clusterId: i.target.clusterId, key, enabled, rolloutId: i.rollout.id })),
        ),
      );
      await this.rollouts.auditMany(
        [...first.values()].map((i) => ({
          actor: actor.name,
          action: `rollout.target.${i.result.state}`,
          subject: `rollout/${i.rollout.id}`,
          summary: {
            cluster: i.target.clusterName,
            attempts: i.target.attempts,
            dryRun: i.rollout.dryRun,
            created: i.result.created,
            configured: i.result.configured,
            unchanged: i.result.unchanged,
            pruned: i.result.pruned,
            gates: i.result.state === 'succeeded' && !i.rollout.dryRun ? { before: beforeOf(i.target.clusterId).gates, after: i.gates } : undefined,
            error: i.result.error,
          },
        })),
      );
      return [...first.values()];
    });
    for (const i of finished) this.observer.targetFinished(i.result.state, i.result.durationMs, i.result.retries);
    // progress events are best effort (Postgres holds the state): not awaited one by one
    for (const i of finished) void this.dispatch.publish({ type: 'rollout.target', rolloutId: i.rollout.id, cluster: i.target.clusterName, state: i.result.state }).catch(() => undefined);
    for (const id of new Set(items.map((i) => i.rollout.id))) await this.waves.advance(id);
  }
}
