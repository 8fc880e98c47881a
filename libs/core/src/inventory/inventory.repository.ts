import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '../prisma/index.js';
import type { ClusterInventory, InventoryKind, InventoryScanStatus, ServiceAnnotationError } from './inventory.model.js';

type Row = Prisma.ClusterInventoryGetPayload<object>;

const EMPTY = { namespaces: [], pods: [], services: [], daemonSets: [] };

const toInventory = (r: Row): ClusterInventory => ({
  clusterId: r.clusterId,
  observedAt: r.observedAt,
  snapshotObservedAt: r.snapshotObservedAt,
  status: r.status as InventoryScanStatus,
  error: r.error,
  truncated: r.truncated as InventoryKind[],
  counts: { namespaces: r.namespaceCount, pods: r.podCount, services: r.serviceCount },
  serverVersion: r.serverVersion,
  enforcement: { networkPolicyEnforcement: r.enforcement, cni: r.cni, cniVersion: r.cniVersion, reason: r.enforcementReason },
  serviceErrors: r.serviceErrors as unknown as ServiceAnnotationError[],
  derivedHash: r.derivedHash,
  snapshot: { ...EMPTY, ...(r.snapshot as object) } as ClusterInventory['snapshot'],
});

const SUMMARY_FIELDS = {
  clusterId: true,
  observedAt: true,
  snapshotObservedAt: true,
  status: true,
  error: true,
  truncated: true,
  namespaceCount: true,
  podCount: true,
  serviceCount: true,
  serverVersion: true,
  enforcement: true,
  cni: true,
  cniVersion: true,
  enforcementReason: true,
  serviceErrors: true,
  derivedHash: true,
} as const;

/** The `cluster_inventories` table: one compact snapshot per cluster. */
@Injectable()
export class InventoryRepository {
  constructor(private readonly prisma: PrismaService) {}

  async find(clusterId: string): Promise<ClusterInventory | null> {
    const row = await this.prisma.db.clusterInventory.findUnique({ where: { clusterId } });
    return row ? toInventory(row) : null;
  }

  /** Everything but the snapshot, for many clusters (cluster views, DataLoaders, the refresh's change check). */
  async summariesOf(clusterIds: readonly string[]): Promise<Array<Omit<ClusterInventory, 'snapshot'>>> {
    if (clusterIds.length === 0) return [];
    const rows = await this.prisma.db.clusterInventory.findMany({ where: { clusterId: { in: [...clusterIds] } }, select: SUMMARY_FIELDS });
    return rows.map((r) => {
      const { snapshot: _omit, ...rest } = toInventory({ ...r, snapshot: {} } as Row);
      return rest;
    });
  }

  /** Full inventories (with snapshots) of many clusters. */
  async ofClusters(clusterIds: readonly string[]): Promise<ClusterInventory[]> {
    if (clusterIds.length === 0) return [];
    const rows = await this.prisma.db.clusterInventory.findMany({ where: { clusterId: { in: [...clusterIds] } } });
    return rows.map(toInventory);
  }

  /** Stores a successful scan. */
  async save(inv: Omit<ClusterInventory, 'snapshotObservedAt'>): Promise<void> {
    const data = {
      observedAt: inv.observedAt,
      snapshotObservedAt: inv.observedAt,
      status: inv.status,
      error: inv.error,
      truncated: inv.truncated,
      namespaceCount: inv.counts.namespaces,
      podCount: inv.counts.pods,
      serviceCount: inv.counts.services,
      snapshot: inv.snapshot as unknown as Prisma.InputJsonValue,
      serverVersion: inv.serverVersion,
      enforcement: inv.enforcement.networkPolicyEnforcement,
      cni: inv.enforcement.cni,
      cniVersion: inv.enforcement.cniVersion,
      enforcementReason: inv.enforcement.reason,
      serviceErrors: inv.serviceErrors as unknown as Prisma.InputJsonValue,
      derivedHash: inv.derivedHash,
    };
    await this.prisma.db.clusterInventory.upsert({ where: { clusterId: inv.clusterId }, create: { clusterId: inv.clusterId, ...data }, update: data });
  }

  /** Records a failed scan, keeping the last good snapshot. */
  async saveFailure(clusterId: string, at: Date, status: InventoryScanStatus, error: string): Promise<void> {
    await this.prisma.db.clusterInventory.upsert({
      where: { clusterId },
      create: { clusterId, observedAt: at, status, error },
      update: { observedAt: at, status, error },
    });
  }
}
