import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  type Cluster,
  ClusterClientsService,
  ClusterRepository,
  DriftWatchLeaseRepository,
  DriftWatchRepository,
  DriftWatchService,
  FLEETGATE_CONFIG,
  type FleetgateConfig,
  type KnownObject,
  type LiveObject,
  type WatchStatus,
  type WatchTarget,
  lastWriterIsFleetgate,
  objectKey,
  ownerOf,
  planLeases,
  relistChanges,
} from '@fleetgate/core';
import { KubeWatch, type WatchCounters, type WatchEventType, type WatchState } from '@fleetgate/kube';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '@fleetgate/netpol';

const PATH = '/apis/networking.k8s.io/v1/networkpolicies';
const SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
/** A watch's state change reaches Redis within this (batched with other watches'). */
const STATE_FLUSH_MS = 200;

interface HeldWatch {
  target: WatchTarget;
  watch: KubeWatch<LiveObject>;
  /** the managed objects on the server: resourceVersion and owner, to tell what a relist changed */
  known: Map<string, KnownObject>;
  status: WatchStatus;
}

/**
 * The worker's drift watches: one list-then-watch per cluster's API server on the
 * NetworkPolicies fleetgate manages, for the clusters whose lease this worker holds. Every third
 * of the lease time it renews its leases (and records its watches' states beside them), takes
 * its share of the fleet (ceil(clusters / live workers)) from the free leases, gives up the
 * surplus when workers joined, stops the watches of removed clusters and re-establishes those
 * whose credentials changed. A worker that dies stops renewing: its leases expire and the others
 * take them over. Each event goes to `DriftWatchService`, which judges the cluster it belongs to.
 *
 * The loop is a timer, not a BullMQ job scheduler: a lease is renewed by the process that holds
 * it, and any worker may run a scheduled job.
 */
@Injectable()
export class DriftWatchesService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DriftWatchesService.name);
  readonly worker = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly held = new Map<string, HeldWatch>();
  private readonly idsByName = new Map<string, string>();
  private readonly pendingStates = new Map<string, WatchStatus>();
  private readonly ttlMs: number;
  private readonly offset = randomBytes(4).readUInt32BE();
  private timer: NodeJS.Timeout | undefined;
  private stateTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly leases: DriftWatchLeaseRepository,
    private readonly watchRows: DriftWatchRepository,
    private readonly clusters: ClusterRepository,
    private readonly clients: ClusterClientsService,
    private readonly judge: DriftWatchService,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {
    this.ttlMs = config.driftWatch.leaseSeconds * 1000;
  }

  onApplicationBootstrap(): void {
    if (!this.config.driftWatch.enabled) {
      this.logger.log('drift watches are off (FLEETGATE_DRIFT_WATCH=off)');
      return;
    }
    this.logger.log(`drift watches on: worker ${this.worker}, lease ${this.config.driftWatch.leaseSeconds}s`);
    this.loop();
  }

  /** The clusters this worker watches now (tests, metrics). */
  get watching(): string[] {
    return [...this.held.keys()];
  }

  /** One watch's lists, events, bookmarks, 410s and errors so far (tests, metrics). */
  countersOf(clusterId: string): WatchCounters | undefined {
    const h = this.held.get(clusterId);
    return h ? { ...h.watch.counters } : undefined;
  }

  private loop(): void {
    if (this.stopped) return;
    this.ticking = this.tick()
      .catch((error: unknown) => this.logger.warn(`drift watch leases: ${(error as Error).message}`))
      .finally(() => {
        this.ticking = undefined;
        if (!this.stopped) this.timer = setTimeout(() => this.loop(), Math.max(500, Math.floor(this.ttlMs / 3)));
      });
  }

  private async tick(): Promise<void> {
    const live = await this.leases.heartbeat(this.worker, this.ttlMs);
    const states = new Map<string, WatchStatus | null>([...this.held.keys()].map((id) => [id, this.pendingStates.get(id) ?? null]));
    this.pendingStates.clear();
    for (const id of await this.leases.renew(states, this.worker, this.ttlMs)) {
      this.logger.warn(`lost the drift watch lease of ${this.held.get(id)?.target.name ?? id}`);
      await this.drop(id);
    }
    const targets = await this.watchRows.targets();
    const byId = new Map(targets.map((t) => [t.id, t]));
    this.idsByName.clear();
    for (const t of targets) this.idsByName.set(t.name, t.id);
    for (const [id, h] of this.held) {
      const now = byId.get(id);
      if (!now) {
        await this.drop(id);
        await this.leases.release([id], this.worker);
      } else if (now.version !== h.target.version) {
        // new credentials (or server): the next request goes out with them, from where it was
        h.target = now;
        h.watch.restart();
      }
    }
    const plan = planLeases({ all: targets.map((t) => t.id), held: new Set(this.held.keys()), liveWorkers: live }, this.offset);
    if (plan.release.length) {
      for (const id of plan.release) await this.drop(id);
      await this.leases.release(plan.release, this.worker);
    }
    if (plan.want > 0 && !this.stopped) {
      const free = await this.leases.free(plan.candidates);
      const got = await this.leases.acquire(free.slice(0, plan.want), this.worker, this.ttlMs);
      if (got.length) await this.start(got.map((id) => byId.get(id) as WatchTarget));
    }
  }

  private async start(targets: WatchTarget[]): Promise<void> {
    const rows = new Map((await this.clusters.findByIds(targets.map((t) => t.id))).map((c) => [c.id, c]));
    await this.clients.prime([...rows.values()]);
    for (const target of targets) {
      let first: Cluster | undefined = rows.get(target.id);
      if (!first) continue;
      const server = target.name;
      const h: HeldWatch = { target, known: new Map(), status: 'reconnecting', watch: undefined as unknown as KubeWatch<LiveObject> };
      h.watch = new KubeWatch<LiveObject>({
        client: async () => {
          const row = first ?? (await this.clusters.findById(target.id));
          first = undefined;
          if (!row) throw new Error(`cluster ${server} is no longer registered`);
          return this.clients.clientOf(row);
        },
        path: PATH,
        labelSelector: SELECTOR,
        onList: (items, _rv, kind) => this.listed(h, server, items, kind),
        onEvent: (type, o) => this.event(h, server, type, o),
        onState: (s, error) => this.state(h, s, error?.message),
      });
      this.held.set(target.id, h);
      this.pendingStates.set(target.id, 'reconnecting');
      h.watch.start();
    }
    this.flushStatesSoon();
  }

  private judgeOwner(owner: string, how: 'certain' | 'ours'): void {
    const id = this.idsByName.get(owner);
    if (id) this.judge.changed(id, how);
  }

  private listed(h: HeldWatch, server: string, items: LiveObject[], kind: 'initial' | 'relist'): void {
    if (kind === 'initial' && h.known.size === 0) {
      for (const o of items) {
        h.known.set(objectKey(o), { resourceVersion: String(o.metadata.resourceVersion ?? ''), owner: ownerOf(o, server) });
        this.judgeOwner(ownerOf(o, server), lastWriterIsFleetgate(o) ? 'ours' : 'certain');
      }
      return;
    }
    // after 410 Gone: whatever changed while the watch was away is judged now
    for (const c of relistChanges(h.known, items, server)) this.judgeOwner(c.owner, c.type === 'DELETED' || !lastWriterIsFleetgate(c.object) ? 'certain' : 'ours');
  }

  private event(h: HeldWatch, server: string, type: WatchEventType, o: LiveObject): void {
    const key = objectKey(o);
    const owner = ownerOf(o, server);
    if (type === 'DELETED') {
      h.known.delete(key);
      this.judgeOwner(owner, 'certain');
      return;
    }
    const before = h.known.get(key);
    h.known.set(key, { resourceVersion: String(o.metadata.resourceVersion ?? ''), owner });
    // an object moved to another owner: the one it left is judged as well
    if (before && before.owner !== owner) this.judgeOwner(before.owner, 'certain');
    this.judgeOwner(owner, lastWriterIsFleetgate(o) ? 'ours' : 'certain');
  }

  private state(h: HeldWatch, s: WatchState, error: string | undefined): void {
    if (s === 'stopped') return;
    const status: WatchStatus = s === 'connected' ? 'connected' : 'reconnecting';
    if (error) this.logger.debug(`drift watch of ${h.target.name}: ${error}`);
    if (status === h.status) return;
    h.status = status;
    this.pendingStates.set(h.target.id, status);
    this.flushStatesSoon();
  }

  private flushStatesSoon(): void {
    if (this.stateTimer || this.stopped) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      const states = new Map([...this.pendingStates].filter(([id]) => this.held.has(id)));
      this.pendingStates.clear();
      if (states.size === 0) return;
      this.leases
        .renew(states, this.worker, this.ttlMs)
        .then(async (lost) => {
          for (const id of lost) await this.drop(id);
        })
        .catch((error: unknown) => {
          for (const [id, s] of states) if (!this.pendingStates.has(id)) this.pendingStates.set(id, s);
          this.logger.debug(`recording drift watch states: ${(error as Error).message}`);
        });
    }, STATE_FLUSH_MS);
  }

  private async drop(id: string): Promise<void> {
    const h = this.held.get(id);
    this.held.delete(id);
    this.pendingStates.delete(id);
    await h?.watch.stop();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.stateTimer) clearTimeout(this.stateTimer);
    await this.ticking;
    const ids = [...this.held.keys()];
    await Promise.all(ids.map((id) => this.drop(id)));
    if (!this.config.driftWatch.enabled) return;
    await this.leases.release(ids, this.worker).catch(() => undefined);
    await this.leases.leave(this.worker).catch(() => undefined);
  }
}
