import { Injectable } from '@nestjs/common';
import type { NetworkPolicy } from '@fleetgate/netpol';
import { Prisma, PrismaService } from '../prisma/index.js';
import type { NamespaceRule } from './desired-state.builder.js';

export interface AssignedPolicy {
  clusterId: string;
  key: string;
  target: { cluster: string; namespace: string | null; namespaceRule: NamespaceRule | null };
  name: string;
  hash: string;
  policy: NetworkPolicy;
  origin: { binding: string; template: string; version: number; templateVersionId: string; gate: string | null };
  rolloutId: string | null;
  assignedAt: Date;
}

type Row = Prisma.AssignedPolicyGetPayload<object>;

const toAssigned = (r: Row): AssignedPolicy => ({
  clusterId: r.clusterId,
  key: r.targetKey,
  target: { cluster: r.targetClusterName, namespace: r.namespace, namespaceRule: (r.namespaceRule ?? null) as NamespaceRule | null },
  name: r.name,
  hash: r.hash,
  policy: r.body as unknown as NetworkPolicy,
  origin: { binding: r.bindingName, template: r.templateName, version: r.version, templateVersionId: r.templateVersionId, gate: r.gateKey },
  rolloutId: r.rolloutId,
  assignedAt: r.assignedAt,
});

@Injectable()
export class AssignedStateRepository {
  constructor(private readonly prisma: PrismaService) {}

  async ofClusters(clusterIds: readonly string[]): Promise<AssignedPolicy[]> {
    if (clusterIds.length === 0) return [];
    const rows = await this.prisma.db.assignedPolicy.findMany({ where: { clusterId: { in: [...clusterIds] } }, orderBy: [{ clusterId: 'asc' }, { targetKey: 'asc' }] });
    return rows.map(toAssigned);
  }

  /** Replaces a cluster's assigned policies (call inside a transaction). */
  async replace(clusterId: string, policies: readonly Omit<AssignedPolicy, 'clusterId'>[]): Promise<void> {
    await this.prisma.db.assignedPolicy.deleteMany({ where: { clusterId } });
    if (policies.length === 0) return;
    await this.prisma.db.assignedPolicy.createMany({
      data: policies.map((p) => ({
        clusterId,
        targetKey: p.key,
        targetClusterName: p.target.cluster,
        namespace: p.target.namespace,
        namespaceRule: p.target.namespaceRule === null ? Prisma.DbNull : (p.target.namespaceRule as unknown as Prisma.InputJsonValue),
        name: p.name,
        hash: p.hash,
        body: p.policy as unknown as Prisma.InputJsonValue,
        bindingName: p.origin.binding,
        templateName: p.origin.template,
        templateVersionId: p.origin.templateVersionId,
        version: p.origin.version,
        gateKey: p.origin.gate,
        rolloutId: p.rolloutId,
        assignedAt: p.assignedAt,
      })),
    });
  }

  /**
   * Replaces the assigned state of many clusters (inside a transaction): what their rollout
   * targets applied. Plain SQL over one JSON parameter: the ORM's createMany compiled every row of a
   * large batch (most of the worker's Prisma time in a 1000-cluster rollout).
   */
  async replaceMany(entries: ReadonlyArray<{ clusterId: string; rolloutId: string; policies: readonly DesiredPolicyRow[] }>): Promise<void> {
    if (entries.length === 0) return;
    await this.prisma.db.$executeRaw`DELETE FROM assigned_policies WHERE cluster_id = ANY(${entries.map((e) => e.clusterId)}::uuid[])`;
    const rows = entries.flatMap((e) =>
      e.policies.map((p) => ({
        cluster_id: e.clusterId,
        target_key: p.key,
        target_cluster_name: p.target.cluster,
        namespace: p.target.namespace,
        namespace_rule: p.target.namespaceRule ?? null,
        name: p.name,
        hash: p.hash,
        body: p.policy,
        binding_name: p.origin.binding,
        template_name: p.origin.template,
        template_version_id: p.origin.templateVersionId,
        version: p.origin.version,
        gate_key: p.origin.gate,
        rollout_id: e.rolloutId,
      })),
    );
    for (let i = 0; i < rows.length; i += 5000) {
      await this.prisma.db.$executeRaw`
        INSERT INTO assigned_policies (id, cluster_id, target_key, target_cluster_name, namespace, namespace_rule, name, hash, body, binding_name, template_name,
          template_version_id, version, gate_key, rollout_id, assigned_at)
        SELECT gen_random_uuid(), v.cluster_id, v.target_key, v.target_cluster_name, v.namespace, v.namespace_rule, v.name, v.hash, v.body, v.binding_name,
          v.template_name, v.template_version_id, v.version, v.gate_key, v.rollout_id, now()
        FROM jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 5000))}::jsonb) AS v(cluster_id uuid, target_key text, target_cluster_name text, namespace text,
          namespace_rule jsonb, name text, hash text, body jsonb, binding_name text, template_name text, template_version_id uuid, version int, gate_key text, rollout_id text)`;
    }
  }

  /** Clusters whose assigned state holds objects of a binding (a changed or deleted binding must reach them). */
  async clusterIdsHolding(bindingName: string): Promise<string[]> {
    const rows = await this.prisma.db.$queryRaw<{ cluster_id: string }[]>`SELECT DISTINCT cluster_id FROM assigned_policies WHERE binding_name = ${bindingName}`;
    return rows.map((r) => r.cluster_id);
  }
}

/** What the assigned state stores of a desired policy. */
export interface DesiredPolicyRow {
  key: string;
  target: { cluster: string; namespace: string | null; namespaceRule: unknown };
  name: string;
  hash: string;
  policy: unknown;
  origin: { binding: string; template: string; version: number; templateVersionId: string; gate: string | null };
}
