import { Inject, Injectable, Logger } from '@nestjs/common';
import { KubeApiError, readClusterInventory } from '@fleetgate/kube';
import { detectNetworkPolicyEnforcement } from '@fleetgate/netpol';
import { type Actor, assertRole } from '../auth/actor.js';
import { ClusterClientsService } from '../clusters/cluster-clients.service.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import type { InventoryScanStatus } from './inventory.model.js';
import { InventoryRepository } from './inventory.repository.js';
import { cniFacts, deriveServicePolicies } from './service-policy-facts.builder.js';

export interface InventoryScanOutcome {
  clusterId: string;
  cluster: string;
  status: InventoryScanStatus;
  error: string | null;
  /** the derived service-driven policy set differs from the previous scan's */
  derivedChanged: boolean;
}

const PARALLEL = 16;
const UNREACHABLE_KINDS = new Set(['unreachable', 'connection-reset', 'timeout', 'tls', 'unauthorized', 'forbidden']);

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const run = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}

/**
 * An inventory scan: one paginated listing per kind on each cluster (libs/kube
 * `readClusterInventory`), reduced to a compact snapshot, judged (CNI enforcement, Gardener
 * service-driven policies and their annotation errors) and stored with `observedAt`.
 */
@Injectable()
export class InventoryScanService {
  private readonly logger = new Logger(InventoryScanService.name);

  constructor(
    private readonly clusters: ClusterRepository,
    private readonly inventories: InventoryRepository,
    private readonly clients: ClusterClientsService,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {}

  async scan(actor: Actor, clusterIds: readonly string[]): Promise<InventoryScanOutcome[]> {
    assertRole(actor, 'operator', 'Scanning cluster inventories');
    const clusters = await this.clusters.findByIds(clusterIds);
    const previous = new Map((await this.inventories.summariesOf(clusters.map((c) => c.id))).map((s) => [s.clusterId, s.derivedHash]));
    await this.clients.prime(clusters);
    return mapLimit(clusters, PARALLEL, (c) => this.scanOne(c, previous.get(c.id) ?? null));
  }

  private async scanOne(cluster: Cluster, previousHash: string | null): Promise<InventoryScanOutcome> {
    const at = new Date();
    try {
      const client = await this.clients.clientOf(cluster);
      const snap = await readClusterInventory(client, { maxItems: this.config.inventory.maxItemsPerKind });
      const snapshot = { namespaces: snap.namespaces, pods: snap.pods, services: snap.services, daemonSets: snap.daemonSets };
      const serverVersion = snap.version?.gitVersion ?? null;
      const verdict = detectNetworkPolicyEnforcement(cniFacts(snapshot, serverVersion));
      const derived = deriveServicePolicies(cluster.role, snapshot);
      await this.inventories.save({
        clusterId: cluster.id,
        observedAt: at,
        status: 'ok',
        error: null,
        truncated: snap.truncated,
        counts: { namespaces: snap.namespaces.length, pods: snap.pods.length, services: snap.services.length },
        serverVersion,
        enforcement: { networkPolicyEnforcement: verdict.networkPolicyEnforcement, cni: verdict.cni, cniVersion: verdict.cniVersion, reason: verdict.reason },
        serviceErrors: derived.errors,
        derivedHash: derived.hash,
        snapshot,
      });
      return { clusterId: cluster.id, cluster: cluster.name, status: 'ok', error: null, derivedChanged: derived.hash !== previousHash };
    } catch (error) {
      const status: InventoryScanStatus = error instanceof KubeApiError && UNREACHABLE_KINDS.has(error.kind) ? 'unreachable' : 'failed';
      const message = error instanceof KubeApiError ? `${error.kind}: ${error.message}` : (error as Error).message;
      this.logger.warn(`inventory scan of ${cluster.name} failed: ${message}`);
      await this.inventories.saveFailure(cluster.id, at, status, message);
      return { clusterId: cluster.id, cluster: cluster.name, status, error: message, derivedChanged: false };
    }
  }
}
