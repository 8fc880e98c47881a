import { Injectable } from '@nestjs/common';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '@fleetgate/netpol';
import { type DesiredObject, type KubeClient, type NetworkPolicy, applyToCluster } from '@fleetgate/kube';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { AssignedStateRepository } from '../desired-state/assigned-state.repository.js';
import { CLUSTER_LABEL } from '../desired-state/desired-state.builder.js';
import { PrismaService } from '../prisma/index.js';
import { DriftClientPool } from './drift-client.pool.js';
import { expandAssigned } from './drift-compare.builder.js';

export interface RepairRequest {
  clusterId: string;
  clusterName: string;
  /** object keys (`<api server>/<namespace>/<name>`) the repair is for */
  objects: string[];
  /** objects held by someone else: never written */
  foreign: string[];
}

/**
 * Starts a repair of one cluster: puts its assigned state back. This is the seam to issue 6's
 * repair rollout (a single-target rollout of kind `repair`). Until the rollout service offers
 * starting one programmatically, the repair runs here through the one applier (`applyToCluster`:
 * server-side apply as `fleetgate`, prune only what this cluster owns) and is audited as the
 * system; `rolloutId` is then null.
 */
@Injectable()
export class DriftRepairService {
  constructor(
    private readonly assigned: AssignedStateRepository,
    private readonly pool: DriftClientPool,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  async startRepair(actor: Actor, req: RepairRequest): Promise<{ rolloutId: string | null }> {
    const assigned = await this.assigned.ofClusters([req.clusterId]);
    const foreign = new Set(req.foreign);
    const byServer = new Map<string, DesiredObject[]>();
    const namespaces = new Map<string, Set<string>>();
    const servers = new Set<string>([req.clusterName, ...assigned.map((a) => a.target.cluster)]);
    const needsRules = assigned.some((a) => a.target.namespace === null);
    const nsInfo = needsRules ? await this.pool.namespacesOf([...servers]) : undefined;
    for (const a of expandAssigned(
      assigned.map((x) => ({ key: x.key, target: x.target, name: x.name, hash: x.hash, policy: x.policy, origin: { binding: x.origin.binding, template: x.origin.template } })),
      nsInfo,
    )) {
      const key = `${a.target.cluster}/${a.namespace}/${a.name}`;
      if (foreign.has(key)) continue;
      byServer.set(a.target.cluster, [...(byServer.get(a.target.cluster) ?? []), { namespace: a.namespace, name: a.name, policy: a.policy }]);
      namespaces.set(a.target.cluster, (namespaces.get(a.target.cluster) ?? new Set()).add(a.namespace));
    }
    for (const k of req.objects) {
      const [server, ns] = k.split('/');
      if (server && ns) namespaces.set(server, (namespaces.get(server) ?? new Set()).add(ns));
    }
    const results: Record<string, unknown> = {};
    for (const server of [...servers].sort()) {
      const own = server === req.clusterName;
      const ownsLabel = (p: NetworkPolicy) => {
        if (p.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) return false;
        const owner = p.metadata.labels?.[CLUSTER_LABEL];
        return own ? owner === undefined || owner === req.clusterName : owner === req.clusterName;
      };
      const list = own ? ('all' as const) : [...(namespaces.get(server) ?? [])];
      if (list !== 'all' && list.length === 0) continue;
      const client: KubeClient = await this.pool.client(server);
      const report = await applyToCluster(client, byServer.get(server) ?? [], {
        list,
        owns: ownsLabel,
        managed: (p) => p.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE,
      });
      results[server] = { created: report.created, configured: report.configured, pruned: report.pruned, unchanged: report.unchanged };
    }
    await this.prisma.transaction(() => this.audit.record(actor, 'drift.repair', `cluster/${req.clusterName}`, { objects: req.objects, results }));
    return { rolloutId: null };
  }
}
