import { Injectable } from '@nestjs/common';
import { parseSelector } from '@fleetgate/netpol';
import { type Actor, assertRole } from '../auth/actor.js';
import type { AffectedClusters } from '../bindings/binding.model.js';
import { BindingRepository, type BindingWithVersion } from '../bindings/binding.repository.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { isUuid } from '../clusters/cluster.schemas.js';
import { DomainError } from '../errors/index.js';
import { ClusterFactsService } from './cluster-facts.service.js';
import { type BindingFacts, type DesiredState, buildDesiredState } from './desired-state.builder.js';

export const AFFECTED_PAGE_SIZE = 20;

/** A binding row as the builder sees it. */
export function bindingFacts(b: BindingWithVersion): BindingFacts {
  return {
    id: b.binding.id,
    name: b.binding.name,
    template: b.template,
    version: b.version,
    clusterSelector: parseSelector(b.binding.clusterSelector),
    clusterRole: b.binding.clusterRole,
    placement: b.binding.placement,
    gate: b.binding.gate,
    parameters: b.binding.parameters,
    driftMode: b.binding.driftMode,
  };
}

/** What the desired-state builder says about the whole fleet: a signature to compare states. */
function signature(s: DesiredState): string {
  return JSON.stringify([s.policies.map((p) => [p.key, p.hash, p.driftMode, p.origin.binding]), s.conflicts.map((c) => [c.key, c.bindings]), s.errors]);
}

/** Loads facts and bindings and runs the pure builder. */
@Injectable()
export class DesiredStateService {
  constructor(
    private readonly clusters: ClusterRepository,
    private readonly bindings: BindingRepository,
    private readonly facts: ClusterFactsService,
  ) {}

  async forCluster(actor: Actor, ref: string): Promise<{ cluster: Cluster; state: DesiredState }> {
    assertRole(actor, 'viewer', 'Reading desired state');
    const cluster = isUuid(ref) ? await this.clusters.findById(ref.toLowerCase()) : await this.clusters.findByName(ref);
    if (!cluster) throw DomainError.notFound('Cluster', ref);
    const [facts] = await this.facts.forClusters(actor, [cluster]);
    const bindings = (await this.bindings.allWithVersions()).map(bindingFacts);
    return { cluster, state: buildDesiredState(facts!, bindings) };
  }

  /** Batch form for DataLoaders: a fixed number of queries for any number of clusters. */
  async forClusterIds(actor: Actor, ids: readonly string[]): Promise<Map<string, DesiredState>> {
    assertRole(actor, 'viewer', 'Reading desired state');
    const [facts, rows] = await Promise.all([this.facts.forIds(actor, ids), this.bindings.allWithVersions()]);
    const bindings = rows.map(bindingFacts);
    return new Map(facts.map((f) => [f.id, buildDesiredState(f, bindings)]));
  }

  /** The desired state of one cluster for the rollout worker (by id; namespaces resolve rules). */
  async forClusterId(actor: Actor, id: string, namespaces?: Readonly<Record<string, readonly { name: string; labels?: Record<string, string> }[]>>): Promise<DesiredState> {
    assertRole(actor, 'viewer', 'Reading desired state');
    const [facts] = await this.facts.forIds(actor, [id]);
    if (!facts) throw DomainError.notFound('Cluster', id);
    const bindings = (await this.bindings.allWithVersions()).map(bindingFacts);
    return buildDesiredState(facts, bindings, namespaces ? { namespaces } : {});
  }

  /**
   * The clusters whose desired state differs between two sets of bindings (`before` and `after`
   * differ in one binding). Only clusters the changed binding selects (before or after) can differ.
   */
  async affected(actor: Actor, before: readonly BindingFacts[], after: readonly BindingFacts[], changed: readonly BindingFacts[]): Promise<AffectedClusters> {
    const ids = new Set<string>();
    for (const b of changed) for (const id of await this.clusters.idsMatching(b.clusterSelector, b.clusterRole)) ids.add(id);
    if (ids.size === 0) return { count: 0, items: [] };
    const facts = await this.facts.forIds(actor, [...ids]);
    const differing = facts.filter((f) => signature(buildDesiredState(f, before)) !== signature(buildDesiredState(f, after)));
    differing.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { count: differing.length, items: differing.slice(0, AFFECTED_PAGE_SIZE).map((f) => ({ id: f.id, name: f.name })) };
  }
}
