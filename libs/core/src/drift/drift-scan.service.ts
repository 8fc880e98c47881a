import { Injectable, Logger } from '@nestjs/common';
import { KubeApiError, type KubeApiErrorKind, type KubeClient, mapLimit } from '@fleetgate/kube';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, type NamespaceInfo } from '@fleetgate/netpol';
import { type Actor, assertRole } from '../auth/actor.js';
import type { Cluster, HealthStatus } from '../clusters/cluster.model.js';
import { BindingRepository } from '../bindings/binding.repository.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { type AssignedPolicy, AssignedStateRepository } from '../desired-state/assigned-state.repository.js';
import { CLUSTER_LABEL } from '../desired-state/desired-state.builder.js';
import { PrismaService } from '../prisma/index.js';
import { DriftActionService } from './drift-action.service.js';
import { ClusterClientsService } from '../clusters/cluster-clients.service.js';
import { type AssignedObject, type LiveObject, type ObservedFinding, compareDrift, expandAssigned, lastFleetgateWrite } from './drift-compare.builder.js';
import { DriftTelemetry } from './drift-telemetry.service.js';
import { type DriftFinding, DriftRepository, type DriftResolution, type DriftScanStatus } from './drift.repository.js';

/** Errors that mean "cannot reach the API server": health, not drift. */
const UNREACHABLE: Partial<Record<KubeApiErrorKind, HealthStatus>> = {
  unreachable: 'unreachable',
  'connection-reset': 'unreachable',
  timeout: 'timeout',
  tls: 'tls_error',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
};

export interface ScanOutcome {
  clusterId: string;
  cluster: string;
  scanId: string | null;
  status: DriftScanStatus;
  open: number;
  opened: DriftFinding[];
  resolved: Array<{ id: string; resolution: DriftResolution }>;
  error: string | null;
}

const PARALLEL = 32;

/** A cluster call failed: which API server, and the error. */
class ServerError extends Error {
  constructor(
    readonly server: string,
    override readonly cause: KubeApiError,
  ) {
    super(cause.message);
  }

  static async wrap<T>(server: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw error instanceof KubeApiError ? new ServerError(server, error) : error;
    }
  }
}

const toAssignedObject = (a: AssignedPolicy): AssignedObject => ({
  key: a.key,
  target: a.target,
  name: a.name,
  hash: a.hash,
  policy: a.policy,
  origin: { binding: a.origin.binding, template: a.origin.template },
});

/**
 * A drift scan: list what fleetgate manages on a cluster (and on its seed for control-plane
 * placements) plus the expected names, compare with the assigned state (pure `compareDrift`),
 * and keep the finding lifecycle. Batches of clusters share their database reads.
 */
@Injectable()
export class DriftScanService {
  private readonly logger = new Logger(DriftScanService.name);

  constructor(
    private readonly clusters: ClusterRepository,
    private readonly assigned: AssignedStateRepository,
    private readonly drift: DriftRepository,
    private readonly bindings: BindingRepository,
    private readonly clients: ClusterClientsService,
    private readonly actions: DriftActionService,
    private readonly telemetry: DriftTelemetry,
    private readonly prisma: PrismaService,
  ) {}

  /** Scans clusters now (the worker's job). `scanIds` maps a cluster id to its requested scan row. */
  async scan(actor: Actor, clusterIds: readonly string[], scanIds: ReadonlyMap<string, string> = new Map()): Promise<ScanOutcome[]> {
    assertRole(actor, 'operator', 'Scanning clusters for drift');
    const started = new Date();
    await this.drift.startScans([...scanIds.values()], started);
    const clusters = await this.clusters.findByIds(clusterIds);
    const seedIds = [...new Set(clusters.map((c) => c.seedId).filter((s): s is string => s !== null))];
    const known = new Map(clusters.map((c) => [c.name, c]));
    for (const s of await this.clusters.findByIds(seedIds.filter((id) => !clusters.some((c) => c.id === id)))) known.set(s.name, s);
    const ids = clusters.map((c) => c.id);
    const [assignedRows, modes, unresolved] = await Promise.all([this.assigned.ofClusters(ids), this.bindings.driftModes(), this.drift.unresolvedOf(ids)]);
    const assignedBy = new Map<string, AssignedPolicy[]>();
    for (const a of assignedRows) assignedBy.set(a.clusterId, [...(assignedBy.get(a.clusterId) ?? []), a]);
    const withOpen = new Set(unresolved.map((f) => f.clusterId));
    await this.clients.prime([...known.values()]);
    const onSeeds = await this.prefetchSeeds(clusters, known);
    const inSync: Cluster[] = [];
    const outcomes = await mapLimit(clusters, PARALLEL, (c) =>
      this.scanOne(actor, c, known, assignedBy.get(c.id) ?? [], modes, scanIds.get(c.id) ?? null, withOpen.has(c.id), inSync, onSeeds).catch((error: unknown) => {
        this.logger.warn(`drift scan of ${c.name} failed: ${(error as Error).message}`);
        return this.finish(c, scanIds.get(c.id) ?? null, 'failed', null, (error as Error).message);
      }),
    );
    // the common case, no drift before or now: two statements for the whole batch
    const now = new Date();
    await this.drift.recordInSync(inSync.map((c) => c.id), now);
    await this.drift.finishCleanScans(inSync.map((c) => scanIds.get(c.id)).filter((s): s is string => s !== undefined), now);
    for (const id of clusterIds) {
      const scanId = scanIds.get(id);
      if (scanId && !clusters.some((c) => c.id === id)) await this.drift.finishScan(scanId, 'failed', new Date(), 0, 'cluster not found');
    }
    return outcomes;
  }

  private async scanOne(
    actor: Actor,
    cluster: Cluster,
    known: ReadonlyMap<string, Cluster>,
    assigned: AssignedPolicy[],
    modes: ReadonlyMap<string, 'enforce' | 'inform'>,
    scanId: string | null,
    hadOpen: boolean,
    inSync: Cluster[],
    onSeeds: ReadonlyMap<string, LiveObject[]>,
  ): Promise<ScanOutcome> {
    const t0 = performance.now();
    const objects = assigned.map(toAssignedObject);
    let live: Map<string, LiveObject[]>;
    let namespaces: Map<string, NamespaceInfo[]> | undefined;
    try {
      ({ live, namespaces } = await this.observe(cluster, known, objects, onSeeds));
    } catch (error) {
      const failure = error instanceof ServerError ? error : undefined;
      const status = failure ? UNREACHABLE[failure.cause.kind] : undefined;
      if (!failure || status === undefined) throw failure?.cause ?? error;
      // Cannot reach an API server: its health, not drift; the last known findings stay (shown as stale).
      const message = `${failure.cause.kind}: ${failure.cause.message}`;
      const server = known.get(failure.server) ?? cluster;
      await this.clusters.recordHealth(server.id, { status, kubernetesVersion: server.health.kubernetesVersion, latencyMs: null, lastError: message, checkedAt: new Date() });
      this.telemetry.scanned(cluster.name, 'unreachable', performance.now() - t0);
      return this.finish(cluster, scanId, 'unreachable', null, message);
    }
    const observed = compareDrift({ cluster: cluster.name, assigned: objects, live, ...(namespaces ? { namespaces } : {}) });
    if (observed.length === 0 && !hadOpen) {
      inSync.push(cluster);
      this.telemetry.scanned(cluster.name, 'succeeded', performance.now() - t0);
      return { clusterId: cluster.id, cluster: cluster.name, scanId, status: 'succeeded', open: 0, opened: [], resolved: [], error: null };
    }
    const liveByKey = new Map<string, LiveObject>();
    for (const [server, objs] of live) for (const o of objs) liveByKey.set(`${server}/${o.metadata.namespace}/${o.metadata.name}`, o);
    const expandedKeys = new Map(expandAssigned(objects, namespaces).map((a) => [`${a.target.cluster}/${a.namespace}/${a.name}`, a]));
    const now = new Date();
    const modeOf = (o: { binding: string | null }) => (o.binding ? (modes.get(o.binding) ?? null) : null);

    const result = await this.prisma.transaction(async () => {
      // one scan of a cluster at a time writes its findings (a manual scan may race a scheduled one)
      await this.clusters.lock(cluster.id);
      const open = new Map((await this.drift.unresolvedOf([cluster.id])).map((f) => [f.key, f]));
      const fresh: Array<ObservedFinding & { driftMode: 'enforce' | 'inform' | null }> = [];
      const unchanged: string[] = [];
      const current: DriftFinding[] = [];
      for (const o of observed) {
        const f = open.get(o.key);
        open.delete(o.key);
        if (!f) {
          fresh.push({ ...o, driftMode: modeOf(o) });
          continue;
        }
        const same = f.kind === o.kind && JSON.stringify(f.diff) === JSON.stringify(o.diff) && f.changedBy === o.changedBy && f.assignedHash === o.assignedHash && f.driftMode === modeOf(o);
        if (same) unchanged.push(f.id);
        else await this.drift.touchFinding(f.id, scanId, now, o, modeOf(o));
        current.push({ ...f, kind: o.kind, diff: o.diff, changedBy: o.changedBy, assignedHash: o.assignedHash, driftMode: modeOf(o), lastSeenAt: now });
      }
      await this.drift.touchLastSeen(unchanged, scanId, now);
      const created = await this.drift.createFindings(cluster.id, scanId, now, fresh);
      const resolved: Array<{ id: string; resolution: DriftResolution }> = [];
      for (const f of open.values()) {
        const resolution = this.resolutionOf(f, expandedKeys, liveByKey.get(f.key));
        await this.drift.resolve(f.id, now, resolution);
        resolved.push({ id: f.id, resolution });
      }
      const openCount = current.length + created.length;
      await this.drift.recordState(cluster.id, 'succeeded', now, openCount);
      if (scanId) await this.drift.finishScan(scanId, 'succeeded', now, openCount, null);
      return { created, current, resolved, openCount };
    });
    this.telemetry.scanned(cluster.name, 'succeeded', performance.now() - t0);
    for (const f of result.created) this.telemetry.event({ type: 'opened', finding: f });
    for (const r of result.resolved) this.telemetry.event({ type: 'resolved', findingId: r.id, clusterId: cluster.id, cluster: cluster.name, resolution: r.resolution });
    await this.actions.act(actor, cluster, [...result.current, ...result.created]);
    return { clusterId: cluster.id, cluster: cluster.name, scanId, status: 'succeeded', open: result.openCount, opened: result.created, resolved: result.resolved, error: null };
  }

  /**
   * How a finding that is no longer seen was resolved: the assigned state moved (the object is
   * no longer assigned, or with another hash, or an unexpected object became assigned); fleetgate
   * wrote it back (a repair was requested, or fleetgate's managedFields entry is newer than the
   * last sighting); otherwise someone changed it back.
   */
  private resolutionOf(f: DriftFinding, expected: ReadonlyMap<string, { hash: string }>, live: LiveObject | undefined): DriftResolution {
    const now = expected.get(f.key);
    if (f.kind === 'unexpected' ? now !== undefined : now === undefined || now.hash !== f.assignedHash) return 'assigned-state-changed';
    if (f.repairRequestedAt && f.repairRequestedAt.getTime() >= f.lastSeenAt.getTime() - 1) return 'repaired';
    const wrote = lastFleetgateWrite(live);
    if (wrote && wrote.getTime() > f.lastSeenAt.getTime()) return 'repaired';
    return 'changed-back';
  }

  /** Lists what fleetgate manages on each API server of the cluster, then the expected names not found. */
  private async observe(
    cluster: Cluster,
    known: ReadonlyMap<string, Cluster>,
    assigned: AssignedObject[],
    onSeeds: ReadonlyMap<string, LiveObject[]>,
  ): Promise<{ live: Map<string, LiveObject[]>; namespaces: Map<string, NamespaceInfo[]> | undefined }> {
    const servers = new Set<string>([cluster.name, ...assigned.map((a) => a.target.cluster)]);
    if (cluster.role === 'user' && cluster.seed && cluster.controlPlaneNamespace) servers.add(cluster.seed);
    const clientOf = async (name: string): Promise<KubeClient> => {
      const c = known.get(name) ?? (await this.clusters.findByName(name));
      if (!c) throw new KubeApiError({ kind: 'not-found', message: `API server cluster "${name}" is not registered` });
      return this.clients.clientOf(c);
    };
    const live = new Map<string, LiveObject[]>();
    const ruleServers = new Set(assigned.filter((a) => a.target.namespace === null).map((a) => a.target.cluster));
    const namespaces = ruleServers.size > 0 ? new Map<string, NamespaceInfo[]>() : undefined;
    await Promise.all(
      [...servers].map(async (server) => {
        const prefetched = server !== cluster.name && !ruleServers.has(server) ? onSeeds.get(`${server}/${cluster.name}`) : undefined;
        if (prefetched) {
          live.set(server, [...prefetched]);
          return;
        }
        const client = await clientOf(server);
        const selector = server === cluster.name ? `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}` : `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${CLUSTER_LABEL}=${cluster.name}`;
        const [items, ns] = await ServerError.wrap(server, () =>
          Promise.all([client.listNetworkPolicies({ labelSelector: selector }), ruleServers.has(server) ? client.listNamespaces() : Promise.resolve(undefined)]),
        );
        live.set(server, items as unknown as LiveObject[]);
        if (ns && namespaces) namespaces.set(server, ns.map((n) => ({ name: n.metadata.name ?? '', labels: n.metadata.labels ?? {} })));
      }),
    );
    // expected names not among the managed objects: missing, or held by someone else (conflict)
    const have = new Set<string>();
    for (const [server, objs] of live) for (const o of objs) have.add(`${server}/${o.metadata.namespace}/${o.metadata.name}`);
    const absent = expandAssigned(assigned, namespaces).filter((a) => !have.has(`${a.target.cluster}/${a.namespace}/${a.name}`));
    await Promise.all(
      absent.map(async (a) => {
        const client = await clientOf(a.target.cluster);
        const found = await ServerError.wrap(a.target.cluster, () => client.findNetworkPolicy(a.namespace, a.name));
        if (found) live.get(a.target.cluster)?.push(found as unknown as LiveObject);
      }),
    );
    return { live, namespaces };
  }

  /**
   * One list per seed (per 50 user clusters) for the control-plane objects of every user cluster
   * in the batch, instead of one per user cluster: `<seed>/<user>` -> objects. A seed that fails
   * is left out (its user clusters list it themselves and report what failed).
   */
  private async prefetchSeeds(clusters: readonly Cluster[], known: ReadonlyMap<string, Cluster>): Promise<Map<string, LiveObject[]>> {
    const out = new Map<string, LiveObject[]>();
    const bySeed = new Map<string, string[]>();
    for (const c of clusters) if (c.role === 'user' && c.seed && c.controlPlaneNamespace && known.has(c.seed)) bySeed.set(c.seed, [...(bySeed.get(c.seed) ?? []), c.name]);
    const chunks: Array<{ seed: string; names: string[] }> = [];
    for (const [seed, names] of bySeed) for (let i = 0; i < names.length; i += 50) chunks.push({ seed, names: names.slice(i, i + 50) });
    await mapLimit(chunks, 8, async ({ seed, names }) => {
      try {
        const client = await this.clients.clientOf(known.get(seed) as Cluster);
        const items = (await client.listNetworkPolicies({ labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${CLUSTER_LABEL} in (${names.join(',')})` })) as unknown as LiveObject[];
        for (const n of names) out.set(`${seed}/${n}`, []);
        for (const o of items) out.get(`${seed}/${o.metadata.labels?.[CLUSTER_LABEL] ?? ''}`)?.push(o);
      } catch (error) {
        this.logger.debug(`listing control planes on ${seed} failed: ${(error as Error).message}`);
      }
    });
    return out;
  }

  private async finish(cluster: Cluster, scanId: string | null, status: DriftScanStatus, open: number | null, error: string | null): Promise<ScanOutcome> {
    const now = new Date();
    await this.drift.recordState(cluster.id, status, now, open);
    if (scanId) await this.drift.finishScan(scanId, status, now, open ?? 0, error);
    return { clusterId: cluster.id, cluster: cluster.name, scanId, status, open: open ?? 0, opened: [], resolved: [], error };
  }
}
