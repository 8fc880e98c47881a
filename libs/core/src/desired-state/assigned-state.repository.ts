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
}
