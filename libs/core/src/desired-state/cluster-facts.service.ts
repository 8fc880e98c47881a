import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { FeatureGateService } from '../feature-gates/feature-gate.service.js';
import { InventoryRepository } from '../inventory/inventory.repository.js';
import { deriveServicePolicies } from '../inventory/service-policy-facts.builder.js';
import type { ClusterFacts } from './desired-state.builder.js';

/** Loads what the desired-state builder needs about clusters, in a fixed number of queries. */
@Injectable()
export class ClusterFactsService {
  constructor(
    private readonly clusters: ClusterRepository,
    private readonly gates: FeatureGateService,
    private readonly inventories: InventoryRepository,
  ) {}

  async forClusters(actor: Actor, clusters: readonly Cluster[]): Promise<ClusterFacts[]> {
    const seedIds = [...new Set(clusters.map((c) => c.seedId).filter((id): id is string => id !== null))];
    const [seeds, gates, inventories] = await Promise.all([
      this.clusters.findByIds(seedIds),
      this.gates.forClusterIds(
        actor,
        clusters.map((c) => c.id),
      ),
      this.inventories.ofClusters(clusters.map((c) => c.id)),
    ]);
    const inventoryOf = new Map(inventories.map((i) => [i.clusterId, i]));
    const seedById = new Map(seeds.map((s) => [s.id, s]));
    return clusters.map((c) => {
      const seed = c.seedId ? seedById.get(c.seedId) : undefined;
      return {
        id: c.id,
        name: c.name,
        role: c.role,
        labels: c.labels,
        networks: c.networks,
        blockedCIDRs: c.blockedCIDRs,
        controlPlaneNamespace: c.controlPlaneNamespace,
        seed: seed ? { id: seed.id, name: seed.name, networks: seed.networks, blockedCIDRs: seed.blockedCIDRs } : null,
        gates: Object.fromEntries((gates.get(c.id) ?? []).map((g) => [g.key, g.enabled])),
        derived: inventoryOf.has(c.id) ? deriveServicePolicies(c.role, inventoryOf.get(c.id)!.snapshot).policies : [],
      };
    });
  }

  async forIds(actor: Actor, ids: readonly string[]): Promise<ClusterFacts[]> {
    const found = await this.clusters.findByIds(ids);
    const byId = new Map(found.map((c) => [c.id, c]));
    return this.forClusters(
      actor,
      ids.map((id) => byId.get(id)).filter((c): c is Cluster => c !== undefined),
    );
  }
}
