import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, assertRole } from '../auth/actor.js';
import { FeatureGateService } from '../feature-gates/feature-gate.service.js';
import { type InventoryScanOutcome, InventoryScanService } from '../inventory/inventory-scan.service.js';
import { ClusterInventoryService, type InventoryQuery, type InventoryView } from '../inventory/inventory.service.js';
import { PrismaService } from '../prisma/index.js';
import { RolloutRepository } from '../rollouts/rollout.repository.js';
import { RolloutService } from '../rollouts/rollout.service.js';

/** The gate that turns the derived `gardener-service-policies` source on for a cluster. */
export const SERVICE_POLICIES_GATE = 'gardenerServicePolicies';

/** A reconcile's strategy: its one cluster in one wave; a failure ends it (as a drift repair). */
export const RECONCILE_STRATEGY = { waves: [{ percent: 100 }], failureBudget: { count: 0, action: 'abort' } };

export interface RefreshOutcome extends InventoryScanOutcome {
  /** the reconcile rollout started because the derived policies changed (null: none needed) */
  reconcileRolloutId: string | null;
}

/**
 * Refreshes inventories (on the drift schedule and on demand) and, where the derived
 * service-driven policy set changed on a cluster whose `gardenerServicePolicies` gate is on,
 * starts a reconcile through the normal rollout path: a single-target `sync` rollout, whose
 * applier server-side-applies the new desired state and prunes what fleetgate owns and no
 * longer derives.
 */
@Injectable()
export class InventoryRefreshService {
  private readonly logger = new Logger(InventoryRefreshService.name);

  constructor(
    private readonly scans: InventoryScanService,
    private readonly gates: FeatureGateService,
    private readonly rollouts: RolloutService,
    private readonly rolloutRows: RolloutRepository,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
    private readonly inventory: ClusterInventoryService,
  ) {}

  /** `POST /clusters/{id}/inventory-scan?wait=true`: refreshes now and returns the fresh inventory. */
  async scanNow(actor: Actor, ref: string, query: InventoryQuery = {}): Promise<InventoryView> {
    assertRole(actor, 'operator', 'Scanning cluster inventories');
    const cluster = await this.inventory.clusterOf(actor, ref);
    await this.prisma.transaction(() => this.audit.record(actor, 'cluster.inventory-scan', `cluster/${cluster.name}`, {}));
    await this.refresh(actor, [cluster.id]);
    return this.inventory.get(actor, cluster.id, query);
  }

  /** `POST /clusters/{id}/inventory-scan`: starts a refresh without waiting (the API answers 202). */
  async requestScan(actor: Actor, ref: string): Promise<{ cluster: string; requestedAt: Date }> {
    assertRole(actor, 'operator', 'Scanning cluster inventories');
    const cluster = await this.inventory.clusterOf(actor, ref);
    await this.prisma.transaction(() => this.audit.record(actor, 'cluster.inventory-scan', `cluster/${cluster.name}`, {}));
    void this.refresh(actor, [cluster.id]).catch((error: unknown) => this.logger.warn(`inventory scan of ${cluster.name} failed: ${(error as Error).message}`));
    return { cluster: cluster.name, requestedAt: new Date() };
  }

  async refresh(actor: Actor, clusterIds: readonly string[]): Promise<RefreshOutcome[]> {
    const outcomes = await this.scans.scan(actor, clusterIds);
    const changed = outcomes.filter((o) => o.derivedChanged);
    const started = new Map<string, string>();
    if (changed.length > 0) {
      const gates = await this.gates.forClusterIds(
        actor,
        changed.map((o) => o.clusterId),
      );
      for (const o of changed) {
        if (!(gates.get(o.clusterId) ?? []).some((g) => g.key === SERVICE_POLICIES_GATE && g.enabled)) continue;
        if (await this.rolloutRows.openOfKind(o.clusterId, 'sync')) continue;
        try {
          const rollout = await this.rollouts.start(actor, { change: { kind: 'sync' }, targets: { clusters: [o.cluster] }, strategy: RECONCILE_STRATEGY });
          await this.prisma.transaction(() => this.audit.record(actor, 'inventory.reconcile', `cluster/${o.cluster}`, { rolloutId: rollout.id, reason: 'derived service-driven policies changed' }));
          started.set(o.clusterId, rollout.id);
        } catch (error) {
          this.logger.warn(`reconcile of ${o.cluster} after an inventory change did not start: ${(error as Error).message}`);
        }
      }
    }
    return outcomes.map((o) => ({ ...o, reconcileRolloutId: started.get(o.clusterId) ?? null }));
  }
}
