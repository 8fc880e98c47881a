import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { type Actor, systemActor } from '../auth/actor.js';
import { BindingRepository } from '../bindings/binding.repository.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterClientsService } from '../clusters/cluster-clients.service.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { ExpiringMemo } from '../concurrency/index.js';
import { type AssignedPolicy, AssignedStateRepository } from '../desired-state/assigned-state.repository.js';
import { ClusterFactsService } from '../desired-state/cluster-facts.service.js';
import type { BindingFacts, ClusterFacts } from '../desired-state/desired-state.builder.js';
import { bindingFacts } from '../desired-state/desired-state.service.js';
import type { Rollout } from './rollout.model.js';
import { RolloutRepository } from './rollout.repository.js';

const actor: Actor = systemActor('worker');
/** Reads of concurrent targets are batched: one query per few milliseconds, not one per target. */
export const TARGET_READ_BATCH = { cache: false, maxBatchSize: 500, batchScheduleFn: (cb: () => void) => setTimeout(cb, 3) };

/** Everything a target reads about its cluster. */
export interface TargetContext {
  cluster: Cluster;
  seed: Cluster | null;
  facts: ClusterFacts | null;
  assigned: AssignedPolicy[];
}

/**
 * What the rollout worker reads for its targets, shared between concurrent targets: the cluster
 * context of a burst of targets in one batch, a rollout's immutable parts and the bindings for
 * a second.
 */
@Injectable()
export class RolloutTargetContextService {
  private readonly rolloutMemo = new ExpiringMemo<string, Rollout>({ ttlMs: 1000, maxKeys: 1000 });
  /** Keyed by rollout: a rollout started after a binding changed never sees the bindings from before. */
  private readonly bindingsMemo = new ExpiringMemo<string, BindingFacts[]>({ ttlMs: 1000, maxKeys: 1 });
  /**
   * Everything a target reads about its cluster, for all targets of a burst at once: the
   * cluster and its seed, the builder's facts, the credentials of clusters without a client yet
   * (cluster and seed) and the assigned state. One batching stage (not one per read, each waiting for its own window).
   */
  private readonly contexts = new DataLoader<string, TargetContext | null>(async (ids) => {
    const clusters = await this.clusters.findByIds(ids);
    const byId = new Map(clusters.map((c) => [c.id, c]));
    const seedIds = [...new Set(clusters.map((c) => c.seedId).filter((id): id is string => id !== null && !byId.has(id)))];
    const [seeds, facts, assigned] = await Promise.all([
      this.clusters.findByIds(seedIds),
      this.facts.forClusters(actor, clusters),
      this.assigned.ofClusters([...byId.keys()]),
      this.clients.prime(clusters),
    ]);
    await this.clients.prime(seeds);
    for (const s of seeds) byId.set(s.id, s);
    const factsById = new Map(facts.map((f) => [f.id, f]));
    const assignedById = new Map<string, AssignedPolicy[]>();
    for (const a of assigned) assignedById.set(a.clusterId, [...(assignedById.get(a.clusterId) ?? []), a]);
    return ids.map((id) => {
      const cluster = byId.get(id);
      if (!cluster) return null;
      return {
        cluster,
        seed: cluster.seedId ? (byId.get(cluster.seedId) ?? null) : null,
        facts: factsById.get(id) ?? null,
        assigned: assignedById.get(id) ?? [],
      };
    });
  }, TARGET_READ_BATCH);

  constructor(
    private readonly rollouts: RolloutRepository,
    private readonly clusters: ClusterRepository,
    private readonly clients: ClusterClientsService,
    private readonly facts: ClusterFactsService,
    private readonly bindings: BindingRepository,
    private readonly assigned: AssignedStateRepository,
  ) {}

  /** The cluster context of a target (null: the cluster is no longer registered). */
  contextOf(clusterId: string): Promise<TargetContext | null> {
    return this.contexts.load(clusterId);
  }

  /** A rollout's immutable parts (kind, change, strategy) for a second; status is checked by the claim. */
  rolloutOf(id: string): Promise<Rollout> {
    return this.rolloutMemo.get(id, () =>
      this.rollouts.findById(id).then((r) => {
        if (!r) throw new Error(`rollout ${id} vanished`);
        return r;
      }),
    );
  }

  /** Bindings for a rollout's targets, shared by its concurrent targets for a second. */
  bindingsFor(rolloutId: string): Promise<BindingFacts[]> {
    return this.bindingsMemo.get(rolloutId, () => this.bindings.allWithVersions().then((rows) => rows.map(bindingFacts)));
  }
}
