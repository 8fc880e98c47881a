import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { PrismaService } from '../prisma/index.js';
import { RolloutRepository } from '../rollouts/rollout.repository.js';
import { RolloutService } from '../rollouts/rollout.service.js';

export interface RepairRequest {
  clusterId: string;
  clusterName: string;
  /** object keys (`<api server>/<namespace>/<name>`) the repair is for */
  objects: string[];
  /** objects held by someone else (never taken over: the repair's applier skips them and applies the rest) */
  foreign: string[];
}

/**
 * A repair's strategy: its one cluster in one wave, and a failure ends it (`abort`: `failed`,
 * terminal). Not the default budget, which pauses: a failed repair would stay an unfinished
 * rollout until someone cancelled it by hand, and every retry would leave another.
 */
export const REPAIR_STRATEGY = { waves: [{ percent: 100 }], failureBudget: { count: 0, action: 'abort' } };

/**
 * Starts a repair of one cluster: a single-target rollout of kind `repair` (issue 6), which
 * re-applies the cluster's assigned state through the one applier and prunes what it owns and
 * no longer wants, leaving objects held by someone else alone (`foreign: 'skip'`; other rollouts
 * fail on them). Started and audited as the system (`system:drift`).
 */
@Injectable()
export class DriftRepairService {
  constructor(
    private readonly rollouts: RolloutService,
    private readonly rolloutRows: RolloutRepository,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  /** The id of a repair of the cluster that is still to run or running (null: none). */
  async openRepairOf(clusterId: string): Promise<string | null> {
    return this.rolloutRows.openOfKind(clusterId, 'repair');
  }

  async startRepair(actor: Actor, req: RepairRequest): Promise<{ rolloutId: string | null }> {
    const rollout = await this.rollouts.start(actor, { change: { kind: 'repair' }, targets: { clusters: [req.clusterName] }, strategy: REPAIR_STRATEGY });
    await this.prisma.transaction(() => this.audit.record(actor, 'drift.repair', `cluster/${req.clusterName}`, { objects: req.objects, rolloutId: rollout.id }));
    return { rolloutId: rollout.id };
  }
}
