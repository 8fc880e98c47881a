import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, systemActor } from '../auth/actor.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { PrismaService } from '../prisma/index.js';
import { DriftRepairService } from './drift-repair.service.js';
import { DriftTelemetry } from './drift-telemetry.service.js';
import { type DriftFinding, DriftRepository } from './drift.repository.js';

/** A repair requested this long ago without the finding going away may be requested again. */
const REPAIR_RETRY_MS = 60_000;

/**
 * Acting on findings: `inform` findings are only reported; `enforce` findings start one repair of
 * the cluster (audited as the system). The contested guard: an object repaired `contestedRepairs`
 * times within `contestedWindowMinutes` is not repaired again; its finding becomes `contested`.
 * Conflicts (our name, someone else's object) are never repaired: fleetgate does not take over
 * foreign objects. They do not block the repair of the cluster's other findings either: the repair
 * rollout leaves a foreign object alone (its target reports it `skipped` and still succeeds) and
 * the conflict finding stays open: a repair does not resolve it. A cluster has one open repair at a
 * time (no pile-up while one waits or runs), and a failed repair ends `failed` instead of pausing.
 */
@Injectable()
export class DriftActionService {
  private readonly logger = new Logger(DriftActionService.name);
  private readonly system = systemActor('drift');

  constructor(
    private readonly drift: DriftRepository,
    private readonly repairer: DriftRepairService,
    private readonly telemetry: DriftTelemetry,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {}

  async act(_actor: Actor, cluster: Cluster, findings: readonly DriftFinding[]): Promise<void> {
    const now = Date.now();
    const due = findings.filter(
      (f) => f.status === 'open' && f.driftMode === 'enforce' && f.kind !== 'conflict' && (!f.repairRequestedAt || now - f.repairRequestedAt.getTime() > REPAIR_RETRY_MS),
    );
    if (due.length === 0) return;
    const { contestedRepairs, contestedWindowMinutes } = this.config.drift;
    const counts = await this.drift.repairsSince(cluster.id, due.map((f) => f.key), new Date(now - contestedWindowMinutes * 60_000));
    const contested = due.filter((f) => (counts.get(f.key) ?? 0) >= contestedRepairs);
    const repair = due.filter((f) => !contested.includes(f));
    const at = new Date();
    if (contested.length > 0) {
      await this.prisma.transaction(async () => {
        await this.drift.markContested(contested.map((f) => f.id), at);
        await this.audit.record(this.system, 'drift.contested', `cluster/${cluster.name}`, {
          objects: contested.map((f) => f.key),
          reason: `repaired ${contestedRepairs} times within ${contestedWindowMinutes} minutes; another controller keeps changing it, repairs stopped`,
          changedBy: contested.map((f) => f.changedBy),
        });
      });
      for (const f of contested) this.telemetry.event({ type: 'contested', finding: { ...f, status: 'contested', contestedAt: at } });
      this.logger.warn(`drift on ${cluster.name} contested (${contested.map((f) => f.key).join(', ')}): repairs stopped`);
    }
    if (repair.length === 0) return;
    // One repair of a cluster at a time: an open one re-applies the whole assigned state when it
    // runs; what it does not fix is found again and repaired after it ended.
    const open = await this.repairer.openRepairOf(cluster.id);
    if (open) {
      this.logger.debug(`drift on ${cluster.name}: repair ${open} is still open, no other started`);
      return;
    }
    const foreign = findings.filter((f) => f.kind === 'conflict').map((f) => f.key);
    const { rolloutId } = await this.repairer.startRepair(this.system, { clusterId: cluster.id, clusterName: cluster.name, objects: repair.map((f) => f.key), foreign });
    await this.prisma.transaction(async () => {
      await this.drift.markRepairRequested(repair.map((f) => f.id), at, rolloutId);
      await this.drift.recordRepairs(cluster.id, repair.map((f) => ({ objectKey: f.key, findingId: f.id })), rolloutId, at);
    });
    this.telemetry.event({ type: 'repair-started', clusterId: cluster.id, cluster: cluster.name, findingIds: repair.map((f) => f.id), rolloutId });
  }
}
