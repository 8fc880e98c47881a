import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, assertRole } from '../auth/actor.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { isUuid } from '../clusters/cluster.schemas.js';
import { DomainError, parseOrThrow } from '../errors/index.js';
import { PrismaService } from '../prisma/index.js';
import { type AssignedPolicy, AssignedStateRepository } from './assigned-state.repository.js';
import { type DesiredPolicy, type NameConflict, type PlanStep, type BindingRenderError, planChanges } from './desired-state.builder.js';
import { DesiredStateService } from './desired-state.service.js';

export interface ClusterPlan {
  cluster: string;
  steps: PlanStep[];
  counts: { create: number; update: number; delete: number; unchanged: number };
  /** a rollout must not carry out a plan with conflicts or render errors */
  conflicts: NameConflict[];
  errors: BindingRenderError[];
}

const recordSchema = z.strictObject({
  clusterId: z.uuid({ message: 'must be a cluster id' }),
  rolloutId: z.string().min(1).max(255),
});

/**
 * Assigned state: what the last successful rollout put on each cluster. The rollout worker
 * records it (`recordAssigned`); the plan is intended (desired) against assigned.
 */
@Injectable()
export class AssignedStateService {
  constructor(
    private readonly assigned: AssignedStateRepository,
    private readonly clusters: ClusterRepository,
    private readonly desired: DesiredStateService,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  async forCluster(actor: Actor, ref: string): Promise<{ cluster: Cluster; items: AssignedPolicy[] }> {
    assertRole(actor, 'viewer', 'Reading assigned state');
    const cluster = await this.clusterRef(ref);
    return { cluster, items: await this.assigned.ofClusters([cluster.id]) };
  }

  async forClusterIds(actor: Actor, ids: readonly string[]): Promise<Map<string, AssignedPolicy[]>> {
    assertRole(actor, 'viewer', 'Reading assigned state');
    const rows = await this.assigned.ofClusters(ids);
    const out = new Map<string, AssignedPolicy[]>(ids.map((id) => [id, []]));
    for (const r of rows) out.get(r.clusterId)?.push(r);
    return out;
  }

  /** What a rollout would do on this cluster: create / update / delete per object. */
  async plan(actor: Actor, ref: string): Promise<ClusterPlan> {
    assertRole(actor, 'viewer', 'Reading plans');
    const { cluster, state } = await this.desired.forCluster(actor, ref);
    const assigned = await this.assigned.ofClusters([cluster.id]);
    const { steps, unchanged } = planChanges(state.policies, assigned);
    const count = (a: PlanStep['action']) => steps.filter((s) => s.action === a).length;
    return {
      cluster: cluster.name,
      steps,
      counts: { create: count('create'), update: count('update'), delete: count('delete'), unchanged },
      conflicts: state.conflicts,
      errors: state.errors,
    };
  }

  /**
   * The rollout worker calls this when a target succeeded: `policies` (the desired objects it
   * applied) become the cluster's assigned state, replacing the previous one. Audited.
   */
  async recordAssigned(actor: Actor, clusterId: string, rolloutId: string, policies: readonly DesiredPolicy[]): Promise<AssignedPolicy[]> {
    assertRole(actor, 'operator', 'Recording assigned state');
    const data = parseOrThrow(recordSchema, { clusterId, rolloutId }, 'assigned state');
    return this.prisma.transaction(async () => {
      const cluster = await this.clusters.findById(data.clusterId);
      if (!cluster) throw DomainError.notFound('Cluster', data.clusterId);
      await this.clusters.lock(cluster.id);
      const before = await this.assigned.ofClusters([cluster.id]);
      const assignedAt = new Date();
      const rows = policies.map((p) => ({
        key: p.key,
        target: p.target,
        name: p.name,
        hash: p.hash,
        policy: p.policy,
        origin: { binding: p.origin.binding, template: p.origin.template, version: p.origin.version, templateVersionId: p.origin.templateVersionId, gate: p.origin.gate },
        rolloutId: data.rolloutId,
        assignedAt,
      }));
      await this.assigned.replace(cluster.id, rows);
      const { steps } = planChanges(policies, before);
      await this.audit.record(actor, 'cluster.assigned-state.record', `cluster/${cluster.name}`, {
        rolloutId: data.rolloutId,
        policies: rows.length,
        created: steps.filter((s) => s.action === 'create').map((s) => s.key),
        updated: steps.filter((s) => s.action === 'update').map((s) => s.key),
        deleted: steps.filter((s) => s.action === 'delete').map((s) => s.key),
      });
      return rows.map((r) => ({ ...r, clusterId: cluster.id }));
    });
  }

  private async clusterRef(ref: string): Promise<Cluster> {
    const c = isUuid(ref) ? await this.clusters.findById(ref.toLowerCase()) : await this.clusters.findByName(ref);
    if (!c) throw DomainError.notFound('Cluster', ref);
    return c;
  }
}
