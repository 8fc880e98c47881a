import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, assertRole } from '../auth/actor.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { isUuid } from '../clusters/cluster.schemas.js';
import { DomainError, parseOrThrow } from '../errors/index.js';
import { type Page, decodeCursor, pageSize, toPage } from '../pagination/index.js';
import { PrismaService } from '../prisma/index.js';
import { parseLabelSelector } from '../selectors/index.js';
import { DRIFT_KINDS, type DriftKind } from './drift-compare.builder.js';
import { DriftScanQueue } from './drift-scan.queue.js';
import { type ClusterDriftState, type DriftFinding, DriftRepository, type DriftScan } from './drift.repository.js';

export const listDriftSchema = z.strictObject({
  labelSelector: z.string().max(4096).optional(),
  /** one cluster, by name or id */
  cluster: z.string().min(1).max(253).optional(),
  kind: z.enum(DRIFT_KINDS).optional(),
  binding: z.string().min(1).max(253).optional(),
  template: z.string().min(1).max(253).optional(),
  limit: z.union([z.number(), z.string()]).optional(),
  cursor: z.string().min(1).optional(),
});
export type ListDriftInput = z.input<typeof listDriftSchema>;

export const fleetScanSchema = z.strictObject({ labelSelector: z.string().max(4096).optional() });
export type FleetScanInput = z.input<typeof fleetScanSchema>;

const findingCursor = z.object({ at: z.string(), id: z.uuid() });

/** `stale`: the cluster could not be reached at its last scan, so this is its last known drift. */
export type DriftFindingView = DriftFinding & { stale: boolean };

export interface ClusterDrift {
  cluster: Cluster;
  state: ClusterDriftState | null;
  /** open and contested findings */
  current: DriftFindingView[];
  /** resolved findings, newest first */
  history: DriftFindingView[];
}

export interface DriftSummary {
  inSync: number;
  drifted: number;
  unreachable: number;
  neverScanned: number;
  total: number;
}

const WAIT_MS = 30_000;

/** Reading drift and asking for scans (the API's side; the worker scans). */
/** A queued scan older than this is taken to be lost (e.g. with its Redis) and not coalesced with. */
export const QUEUED_SCAN_COALESCE_MS = 10 * 60 * 1000;

@Injectable()
export class DriftService {
  constructor(
    private readonly drift: DriftRepository,
    private readonly clusters: ClusterRepository,
    private readonly queue: DriftScanQueue,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  /** `POST /clusters/{id}/drift-scan`: a scan row and its job; the worker does the rest. */
  async requestScan(actor: Actor, ref: string): Promise<DriftScan> {
    assertRole(actor, 'operator', 'Scanning clusters for drift');
    const cluster = await this.clusterRef(ref);
    const [scan] = await this.prisma.transaction(async () => {
      const rows = await this.drift.createScans([{ clusterId: cluster.id, trigger: 'manual', requestedBy: actor.name }]);
      await this.audit.record(actor, 'cluster.drift-scan', `cluster/${cluster.name}`, { scanId: rows[0]?.id });
      return rows;
    });
    if (!scan) throw new Error('scan row was not created');
    await this.queue.enqueueScans([{ scanId: scan.id, clusterId: cluster.id }]);
    return scan;
  }

  /** Waits (bounded) until a scan has finished, then returns it with the findings it saw. */
  async awaitScan(actor: Actor, scanId: string, timeoutMs = WAIT_MS): Promise<{ scan: DriftScan; findings: DriftFindingView[] }> {
    assertRole(actor, 'viewer', 'Reading drift');
    const deadline = Date.now() + timeoutMs;
    let delay = 25;
    for (;;) {
      const scan = await this.drift.findScan(scanId);
      if (!scan) throw DomainError.notFound('Drift scan', scanId);
      if (scan.status !== 'queued' && scan.status !== 'running') {
        const findings = scan.status === 'succeeded' ? await this.drift.findingsOfScan(scan.id) : await this.drift.ofCluster(scan.clusterId, { includeResolved: false, take: 1000 });
        return { scan, findings: findings.filter((f) => f.status !== 'resolved').map((f) => ({ ...f, stale: scan.status !== 'succeeded' })) };
      }
      if (Date.now() > deadline) return { scan, findings: [] };
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 250);
    }
  }

  async getScan(actor: Actor, scanId: string): Promise<DriftScan> {
    assertRole(actor, 'viewer', 'Reading drift');
    const scan = isUuid(scanId) ? await this.drift.findScan(scanId.toLowerCase()) : null;
    if (!scan) throw DomainError.notFound('Drift scan', scanId);
    return scan;
  }

  /** A fleet-wide scan of the clusters matching a label selector (all when empty). */
  async requestFleetScan(actor: Actor, input: FleetScanInput): Promise<{ scanIds: string[]; clusters: number }> {
    assertRole(actor, 'operator', 'Scanning clusters for drift');
    const q = parseOrThrow(fleetScanSchema, input, 'body');
    const selector = parseLabelSelector(q.labelSelector);
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.clusters.list({ selector, afterName: after, take: 1000 });
      ids.push(...page.map((c) => c.id));
      if (page.length < 1000) break;
      after = page[page.length - 1]?.name;
    }
    // A cluster whose scan is still queued (and recent enough not to be lost) keeps that scan:
    // repeated fleet-wide requests never pile up duplicate scans.
    const { scans, fresh } = await this.prisma.transaction(async () => {
      await this.drift.lockScanRequests();
      const queued = await this.drift.queuedScans(ids, new Date(Date.now() - QUEUED_SCAN_COALESCE_MS));
      const has = new Set(queued.map((s) => s.clusterId));
      const rows = await this.drift.createScans(ids.filter((id) => !has.has(id)).map((clusterId) => ({ clusterId, trigger: 'fleet', requestedBy: actor.name })));
      await this.audit.record(actor, 'drift.fleet-scan', 'drift', { labelSelector: q.labelSelector ?? '', clusters: ids.length, alreadyQueued: queued.length });
      return { scans: [...queued, ...rows], fresh: rows };
    });
    await this.queue.enqueueScans(fresh.map((s) => ({ scanId: s.id, clusterId: s.clusterId })));
    return { scanIds: scans.map((s) => s.id), clusters: scans.length };
  }

  /** `GET /drift`: open (and contested) findings across the fleet, oldest first, paginated. */
  async list(actor: Actor, input: ListDriftInput): Promise<Page<DriftFindingView>> {
    assertRole(actor, 'viewer', 'Reading drift');
    const q = parseOrThrow(listDriftSchema, input, 'query');
    const limit = pageSize(q.limit);
    const selector = parseLabelSelector(q.labelSelector);
    const c = q.cursor ? decodeCursor(q.cursor, findingCursor) : undefined;
    const clusterId = q.cluster === undefined ? undefined : (await this.clusterRef(q.cluster)).id;
    const rows = await this.drift.list({ selector, clusterId, kind: q.kind, binding: q.binding, template: q.template, after: c ? { at: new Date(c.at), id: c.id } : undefined, take: limit + 1 });
    const stale = await this.staleClusters(rows.map((r) => r.clusterId));
    return toPage(rows, limit, (f) => ({ at: f.firstSeenAt.toISOString(), id: f.id }), (f) => ({ ...f, stale: stale.has(f.clusterId) }));
  }

  /** `GET /clusters/{id}/drift`: current findings and history. */
  async forCluster(actor: Actor, ref: string, historyLimit = 100): Promise<ClusterDrift> {
    assertRole(actor, 'viewer', 'Reading drift');
    const cluster = await this.clusterRef(ref);
    const [rows, states] = await Promise.all([this.drift.ofCluster(cluster.id, { includeResolved: true, take: 1000 + historyLimit }), this.drift.statesOf([cluster.id])]);
    const state = states[0] ?? null;
    const stale = state !== null && state.lastScanStatus !== 'succeeded';
    const view = (f: DriftFinding): DriftFindingView => ({ ...f, stale: stale && f.status !== 'resolved' });
    return {
      cluster,
      state,
      current: rows.filter((f) => f.status !== 'resolved').map(view),
      history: rows.filter((f) => f.status === 'resolved').slice(0, historyLimit).map(view),
    };
  }

  /** For per-request DataLoaders: unresolved findings and state of many clusters. */
  async forClusterIds(actor: Actor, ids: readonly string[]): Promise<Map<string, { state: ClusterDriftState | null; current: DriftFindingView[] }>> {
    assertRole(actor, 'viewer', 'Reading drift');
    const [rows, states] = await Promise.all([this.drift.unresolvedOf(ids), this.drift.statesOf(ids)]);
    const byState = new Map(states.map((s) => [s.clusterId, s]));
    const out = new Map(ids.map((id) => [id, { state: byState.get(id) ?? null, current: [] as DriftFindingView[] }]));
    for (const f of rows) {
      const s = byState.get(f.clusterId);
      out.get(f.clusterId)?.current.push({ ...f, stale: s !== undefined && s.lastScanStatus !== 'succeeded' });
    }
    return out;
  }

  /** Open (and contested) findings by kind, fleet-wide: the API's `fleetgate_drift_open_findings`. */
  async openCountsByKind(actor: Actor): Promise<Record<DriftKind, number>> {
    assertRole(actor, 'viewer', 'Reading drift');
    return this.drift.openCountsByKind();
  }

  async summary(actor: Actor, labelSelector?: string): Promise<DriftSummary> {
    assertRole(actor, 'viewer', 'Reading drift');
    return this.drift.summary(parseLabelSelector(labelSelector));
  }

  private async staleClusters(ids: readonly string[]): Promise<Set<string>> {
    const states = await this.drift.statesOf([...new Set(ids)]);
    return new Set(states.filter((s) => s.lastScanStatus !== 'succeeded').map((s) => s.clusterId));
  }

  private async clusterRef(ref: string): Promise<Cluster> {
    const c = isUuid(ref) ? await this.clusters.findById(ref.toLowerCase()) : await this.clusters.findByName(ref);
    if (!c) throw DomainError.notFound('Cluster', ref);
    return c;
  }
}
