import { Injectable } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import { type Actor, systemActor } from '../auth/actor.js';
import { AssignedStateRepository } from '../desired-state/assigned-state.repository.js';
import type { DesiredPolicy } from '../desired-state/desired-state.builder.js';
import { FeatureGateRepository } from '../feature-gates/feature-gate.repository.js';
import { FeatureGateService } from '../feature-gates/feature-gate.service.js';
import { PrismaService } from '../prisma/index.js';
import type { BeforeState, Rollout, RolloutTarget, TargetResult } from './rollout.model.js';
import { RolloutRepository } from './rollout.repository.js';

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
 * Writes a batch of finished targets in one transaction, each table through the repository that
 * owns it: the rollout targets, the assigned state, the gate values, the audit log.
 */
@Injectable()
export class RolloutResultWriter {
  constructor(
    private readonly rollouts: RolloutRepository,
    private readonly assigned: AssignedStateRepository,
    private readonly gates: FeatureGateService,
    private readonly gateValues: FeatureGateRepository,
    private readonly audit: AuditRepository,
    private readonly prisma: PrismaService,
  ) {}

  /**
   * Exactly one terminal result each (a re-delivered duplicate finds its target finished and
   * changes nothing), the assigned state from before (for rollback), the new assigned state and
   * gate values of the targets that succeeded (not for dry-runs), one audit event each. Returns
   * the targets that got their result now.
   */
  async write(items: readonly FinishedTarget[]): Promise<FinishedTarget[]> {
    const ids = [...new Set(items.map((i) => i.target.clusterId))];
    return this.prisma.transaction(async () => {
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
      await this.assigned.replaceMany(applied.map((i) => ({ clusterId: i.target.clusterId, rolloutId: i.rollout.id, policies: i.policies })));
      await this.gateValues.setExplicitValues(
        applied.flatMap((i) =>
          Object.entries(i.gates)
            .filter((e): e is [string, boolean] => e[1] !== null)
            .map(([key, enabled]) => ({ clusterId: i.target.clusterId, key, enabled, rolloutId: i.rollout.id })),
        ),
      );
      await this.audit.insertMany(
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
  }
}
