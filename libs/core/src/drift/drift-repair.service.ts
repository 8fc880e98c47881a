import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { PrismaService } from '../prisma/index.js';
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
 * Starts a repair of one cluster: a single-target rollout of kind `repair` (issue 6), which
 * re-applies the cluster's assigned state through the one applier and prunes what it owns and
 * no longer wants, leaving objects held by someone else alone (`foreign: 'skip'`; other rollouts
 * fail on them). Started and audited as the system (`system:drift`).
 */
@Injectable()
export class DriftRepairService {
  constructor(
    private readonly rollouts: RolloutService,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  async startRepair(actor: Actor, req: RepairRequest): Promise<{ rolloutId: string | null }> {
    const rollout = await this.rollouts.start(actor, { change: { kind: 'repair' }, targets: { clusters: [req.clusterName] } });
    await this.prisma.transaction(() => this.audit.record(actor, 'drift.repair', `cluster/${req.clusterName}`, { objects: req.objects, rolloutId: rollout.id }));
    return { rolloutId: rollout.id };
  }
}
