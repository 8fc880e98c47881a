import { Injectable } from '@nestjs/common';
import type { Requirement } from '@fleetgate/netpol';
import { Prisma, PrismaService } from '../prisma/index.js';
import { selectorToSql } from '../selectors/index.js';
import type { DriftKind, FieldDiff, ObservedFinding } from './drift-compare.builder.js';

export type DriftStatus = 'open' | 'contested' | 'resolved';
export type DriftResolution = 'repaired' | 'changed-back' | 'assigned-state-changed';
export type DriftScanStatus = 'queued' | 'running' | 'succeeded' | 'unreachable' | 'failed';

export interface DriftFinding {
  id: string;
  clusterId: string;
  clusterName: string;
  key: string;
  kind: DriftKind;
  status: DriftStatus;
  target: { cluster: string; namespace: string; name: string };
  diff: FieldDiff[];
  changedBy: string | null;
  binding: string | null;
  template: string | null;
  assignedKey: string | null;
  assignedHash: string | null;
  driftMode: 'enforce' | 'inform' | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  resolution: DriftResolution | null;
  repairRequestedAt: Date | null;
  repairRolloutId: string | null;
  contestedAt: Date | null;
}

export interface DriftScan {
  id: string;
  clusterId: string;
  clusterName: string;
  trigger: string;
  requestedBy: string;
  status: DriftScanStatus;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  findings: number;
  error: string | null;
}

export interface ClusterDriftState {
  clusterId: string;
  lastScanAt: Date;
  lastScanStatus: DriftScanStatus;
  lastSuccessAt: Date | null;
  openFindings: number;
}

export interface FindingFilter {
  selector: readonly Requirement[];
  clusterId?: string | undefined;
  kind?: DriftKind | undefined;
  binding?: string | undefined;
  template?: string | undefined;
  /** open and contested (default), or every status */
  includeResolved?: boolean;
  /** (firstSeenAt, id) of the last row of the previous page */
  after?: { at: Date; id: string } | undefined;
  take: number;
}

const include = { cluster: { select: { name: true } } } as const;
type Row = Prisma.DriftFindingGetPayload<{ include: typeof include }>;

const toFinding = (r: Row): DriftFinding => ({
  id: r.id,
  clusterId: r.clusterId,
  clusterName: r.cluster.name,
  key: r.objectKey,
  kind: r.kind,
  status: r.status,
  target: { cluster: r.targetCluster, namespace: r.namespace, name: r.name },
  diff: r.diff as unknown as FieldDiff[],
  changedBy: r.changedBy,
  binding: r.bindingName,
  template: r.templateName,
  assignedKey: r.assignedKey,
  assignedHash: r.assignedHash,
  driftMode: r.driftMode,
  firstSeenAt: r.firstSeenAt,
  lastSeenAt: r.lastSeenAt,
  resolvedAt: r.resolvedAt,
  resolution: r.resolution as DriftResolution | null,
  repairRequestedAt: r.repairRequestedAt,
  repairRolloutId: r.repairRolloutId,
  contestedAt: r.contestedAt,
});

const observedData = (o: ObservedFinding) => ({
  kind: o.kind,
  targetCluster: o.target.cluster,
  namespace: o.target.namespace,
  name: o.target.name,
  diff: o.diff as unknown as Prisma.InputJsonValue,
  changedBy: o.changedBy,
  bindingName: o.binding,
  templateName: o.template,
  assignedKey: o.assignedKey,
  assignedHash: o.assignedHash,
});

@Injectable()
export class DriftRepository {
  constructor(private readonly prisma: PrismaService) {}

  // ---- findings ----

  /** Open and contested findings of these clusters. */
  async unresolvedOf(clusterIds: readonly string[]): Promise<DriftFinding[]> {
    if (clusterIds.length === 0) return [];
    const rows = await this.prisma.db.driftFinding.findMany({ where: { clusterId: { in: [...clusterIds] }, status: { in: ['open', 'contested'] } }, include });
    return rows.map(toFinding);
  }

  async createFindings(clusterId: string, scanId: string | null, at: Date, observed: readonly (ObservedFinding & { driftMode: 'enforce' | 'inform' | null })[]): Promise<DriftFinding[]> {
    if (observed.length === 0) return [];
    const rows = await this.prisma.db.driftFinding.createManyAndReturn({
      data: observed.map((o) => ({ clusterId, objectKey: o.key, ...observedData(o), driftMode: o.driftMode, firstSeenAt: at, lastSeenAt: at, lastScanId: scanId })),
      include,
    });
    return rows.map(toFinding);
  }

  async touchFinding(id: string, scanId: string | null, at: Date, observed: ObservedFinding, driftMode: 'enforce' | 'inform' | null): Promise<void> {
    await this.prisma.db.driftFinding.update({ where: { id }, data: { ...observedData(observed), driftMode, lastSeenAt: at, lastScanId: scanId } });
  }

  /** Findings whose content did not change: only last-seen moves (one statement for all). */
  async touchLastSeen(ids: readonly string[], scanId: string | null, at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.db.driftFinding.updateMany({ where: { id: { in: [...ids] } }, data: { lastSeenAt: at, lastScanId: scanId } });
  }

  async resolve(id: string, at: Date, resolution: DriftResolution): Promise<void> {
    await this.prisma.db.driftFinding.update({ where: { id }, data: { status: 'resolved', resolvedAt: at, resolution } });
  }

  async markContested(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.db.driftFinding.updateMany({ where: { id: { in: [...ids] } }, data: { status: 'contested', contestedAt: at } });
  }

  async markRepairRequested(ids: readonly string[], at: Date, rolloutId: string | null): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.db.driftFinding.updateMany({ where: { id: { in: [...ids] } }, data: { repairRequestedAt: at, repairRolloutId: rolloutId } });
  }

  async findingsOfScan(scanId: string): Promise<DriftFinding[]> {
    const rows = await this.prisma.db.driftFinding.findMany({ where: { lastScanId: scanId }, include, orderBy: [{ objectKey: 'asc' }] });
    return rows.map(toFinding);
  }

  /** A cluster's findings, unresolved first, then newest first (history). */
  async ofCluster(clusterId: string, opts: { includeResolved: boolean; take: number }): Promise<DriftFinding[]> {
    const rows = await this.prisma.db.driftFinding.findMany({
      where: { clusterId, ...(opts.includeResolved ? {} : { status: { in: ['open', 'contested'] } }) },
      include,
      orderBy: [{ status: 'asc' }, { lastSeenAt: 'desc' }, { id: 'asc' }],
      take: opts.take,
    });
    return rows.map(toFinding);
  }

  /** One page across the fleet, ordered by (firstSeenAt, id); the selector runs on cluster labels in SQL. */
  async list(filter: FindingFilter): Promise<DriftFinding[]> {
    const where: Prisma.Sql[] = [selectorToSql(filter.selector, Prisma.sql`c.labels`)];
    if (!filter.includeResolved) where.push(Prisma.sql`f.status IN ('open', 'contested')`);
    if (filter.clusterId) where.push(Prisma.sql`f.cluster_id = ${filter.clusterId}::uuid`);
    if (filter.kind) where.push(Prisma.sql`f.kind = ${filter.kind}::"DriftKind"`);
    if (filter.binding) where.push(Prisma.sql`f.binding_name = ${filter.binding}`);
    if (filter.template) where.push(Prisma.sql`f.template_name = ${filter.template}`);
    if (filter.after) where.push(Prisma.sql`(f.first_seen_at, f.id) > (${filter.after.at}::timestamptz, ${filter.after.id}::uuid)`);
    const ids = await this.prisma.db.$queryRaw<{ id: string }[]>`
      SELECT f.id FROM drift_findings f JOIN clusters c ON c.id = f.cluster_id
      WHERE ${Prisma.join(where, ' AND ')} ORDER BY f.first_seen_at ASC, f.id ASC LIMIT ${filter.take}`;
    if (ids.length === 0) return [];
    const rows = await this.prisma.db.driftFinding.findMany({ where: { id: { in: ids.map((r) => r.id) } }, include });
    const byId = new Map(rows.map((r) => [r.id, toFinding(r)]));
    return ids.map((r) => byId.get(r.id)).filter((f): f is DriftFinding => f !== undefined);
  }

  async openCountsByKind(): Promise<Record<DriftKind, number>> {
    const rows = await this.prisma.db.driftFinding.groupBy({ by: ['kind'], where: { status: { in: ['open', 'contested'] } }, _count: { _all: true } });
    const out: Record<DriftKind, number> = { missing: 0, modified: 0, unexpected: 0, conflict: 0 };
    for (const r of rows) out[r.kind] = r._count._all;
    return out;
  }

  async contestedCount(): Promise<number> {
    return this.prisma.db.driftFinding.count({ where: { status: 'contested' } });
  }

  // ---- repairs (contested guard) ----

  async repairsSince(clusterId: string, objectKeys: readonly string[], since: Date): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (objectKeys.length === 0) return out;
    const rows = await this.prisma.db.driftRepair.groupBy({ by: ['objectKey'], where: { clusterId, objectKey: { in: [...objectKeys] }, at: { gte: since } }, _count: { _all: true } });
    for (const r of rows) out.set(r.objectKey, r._count._all);
    return out;
  }

  async recordRepairs(clusterId: string, rows: readonly { objectKey: string; findingId: string }[], rolloutId: string | null, at: Date): Promise<void> {
    if (rows.length === 0) return;
    await this.prisma.db.driftRepair.createMany({ data: rows.map((r) => ({ clusterId, objectKey: r.objectKey, findingId: r.findingId, rolloutId, at })) });
  }

  // ---- scans ----

  async createScans(rows: readonly { clusterId: string; trigger: string; requestedBy: string }[]): Promise<DriftScan[]> {
    if (rows.length === 0) return [];
    const created = await this.prisma.db.driftScan.createManyAndReturn({ data: [...rows], include: { cluster: { select: { name: true } } } });
    return created.map(({ cluster, ...s }) => ({ ...s, clusterName: cluster.name }) as DriftScan);
  }

  /** Serialises fleet scan requests for the rest of the ambient transaction. */
  async lockScanRequests(): Promise<void> {
    await this.prisma.db.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended('fleetgate drift scan requests', 0))::text AS locked`;
  }

  /** Scans of these clusters still waiting for the worker, queued after `since`. */
  async queuedScans(clusterIds: readonly string[], since: Date): Promise<DriftScan[]> {
    if (clusterIds.length === 0) return [];
    const rows = await this.prisma.db.driftScan.findMany({
      where: { clusterId: { in: [...clusterIds] }, status: 'queued', queuedAt: { gt: since } },
      include: { cluster: { select: { name: true } } },
      orderBy: { queuedAt: 'asc' },
    });
    const first = new Map<string, DriftScan>();
    for (const { cluster, ...s } of rows) if (!first.has(s.clusterId)) first.set(s.clusterId, { ...s, clusterName: cluster.name } as DriftScan);
    return [...first.values()];
  }

  async findScan(id: string): Promise<DriftScan | null> {
    const row = await this.prisma.db.driftScan.findUnique({ where: { id }, include: { cluster: { select: { name: true } } } });
    if (!row) return null;
    const { cluster, ...s } = row;
    return { ...s, clusterName: cluster.name } as DriftScan;
  }

  async startScans(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.db.driftScan.updateMany({ where: { id: { in: [...ids] } }, data: { status: 'running', startedAt: at } });
  }

  async finishScan(id: string, status: DriftScanStatus, at: Date, findings: number, error: string | null): Promise<void> {
    await this.prisma.db.driftScan.updateMany({ where: { id }, data: { status, finishedAt: at, findings, error } });
  }

  /** Scans that found nothing and had nothing open: one statement for all of them. */
  async finishCleanScans(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.db.driftScan.updateMany({ where: { id: { in: [...ids] } }, data: { status: 'succeeded', finishedAt: at, findings: 0 } });
  }

  // ---- per-cluster state ----

  /** Clusters scanned in sync (no findings before or now): one upsert for all of them. */
  async recordInSync(clusterIds: readonly string[], at: Date): Promise<void> {
    if (clusterIds.length === 0) return;
    await this.prisma.db.$executeRaw`
      INSERT INTO cluster_drift_states (cluster_id, last_scan_at, last_scan_status, last_success_at, open_findings)
      SELECT id, ${at}::timestamptz, 'succeeded'::"DriftScanStatus", ${at}::timestamptz, 0 FROM unnest(${[...clusterIds]}::uuid[]) AS id
      ON CONFLICT (cluster_id) DO UPDATE SET last_scan_at = EXCLUDED.last_scan_at, last_scan_status = EXCLUDED.last_scan_status,
        last_success_at = EXCLUDED.last_success_at, open_findings = 0`;
  }

  async recordState(clusterId: string, status: DriftScanStatus, at: Date, openFindings: number | null): Promise<void> {
    const success = status === 'succeeded';
    await this.prisma.db.clusterDriftState.upsert({
      where: { clusterId },
      create: { clusterId, lastScanAt: at, lastScanStatus: status, lastSuccessAt: success ? at : null, openFindings: openFindings ?? 0 },
      update: { lastScanAt: at, lastScanStatus: status, ...(success ? { lastSuccessAt: at } : {}), ...(openFindings !== null ? { openFindings } : {}) },
    });
  }

  async statesOf(clusterIds: readonly string[]): Promise<ClusterDriftState[]> {
    if (clusterIds.length === 0) return [];
    return (await this.prisma.db.clusterDriftState.findMany({ where: { clusterId: { in: [...clusterIds] } } })) as ClusterDriftState[];
  }

  /** Fleet summary over clusters matching the selector. */
  async summary(selector: readonly Requirement[]): Promise<{ inSync: number; drifted: number; unreachable: number; neverScanned: number; total: number }> {
    const rows = await this.prisma.db.$queryRaw<{ in_sync: bigint; drifted: bigint; unreachable: bigint; never: bigint; total: bigint }[]>`
      SELECT
        count(*) FILTER (WHERE s.cluster_id IS NOT NULL AND s.last_scan_status = 'succeeded' AND s.open_findings = 0) AS in_sync,
        count(*) FILTER (WHERE s.cluster_id IS NOT NULL AND s.last_scan_status = 'succeeded' AND s.open_findings > 0) AS drifted,
        count(*) FILTER (WHERE s.cluster_id IS NOT NULL AND s.last_scan_status IN ('unreachable', 'failed')) AS unreachable,
        count(*) FILTER (WHERE s.cluster_id IS NULL) AS never,
        count(*) AS total
      FROM clusters c LEFT JOIN cluster_drift_states s ON s.cluster_id = c.id
      WHERE ${selectorToSql(selector, Prisma.sql`c.labels`)}`;
    const r = rows[0];
    return { inSync: Number(r?.in_sync ?? 0), drifted: Number(r?.drifted ?? 0), unreachable: Number(r?.unreachable ?? 0), neverScanned: Number(r?.never ?? 0), total: Number(r?.total ?? 0) };
  }
}
