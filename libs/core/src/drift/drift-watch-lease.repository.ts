import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { redisOptionsFromUrl } from '../queues/redis-connection.service.js';

/** What `GET /clusters/{id}` shows of a cluster's watch. `off`: nobody holds it (watches off, or its worker died). */
export type WatchStatus = 'connected' | 'reconnecting' | 'off';

// KEYS: leases; ARGV[1] worker, ARGV[2] ttl ms, ARGV[3..] the state of each lease ('' = keep)
const RENEW = `
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    local state = ARGV[i + 2]
    if state ~= '' then redis.call('SET', key .. ':state', state, 'PX', ARGV[2]) else redis.call('PEXPIRE', key .. ':state', ARGV[2]) end
    out[i] = 1
  else
    out[i] = 0
  end
end
return out`;

// KEYS: leases; ARGV[1] worker
const RELEASE = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key, key .. ':state') end
end
return 1`;

const BATCH = 1000;

/**
 * The leases of drift watches in Redis: one key per cluster holding the worker that watches it
 * (`SET NX PX`, renewed by its holder, gone `leaseSeconds` after the holder died), the watch's
 * state beside it with the same expiry, and the live workers (a sorted set of heartbeats) so that
 * each takes its share of the fleet. Keys live under the queue prefix.
 */
@Injectable()
export class DriftWatchLeaseRepository implements OnModuleDestroy {
  private readonly logger = new Logger(DriftWatchLeaseRepository.name);
  private redis: Redis | undefined;
  private readonly prefix: string;

  constructor(@Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig) {
    // one hash tag: every key in one slot, so the multi-key scripts also run on Redis Cluster
    this.prefix = `{${config.queuePrefix}:drift-watch}`;
  }

  private get r(): Redis {
    if (!this.redis) {
      this.redis = new Redis({ ...redisOptionsFromUrl(this.config.redisUrl), lazyConnect: false });
      this.redis.on('error', (err: Error) => this.logger.debug(`drift watch leases: ${err.message}`));
    }
    return this.redis;
  }

  private lease(clusterId: string): string {
    return `${this.prefix}:lease:${clusterId}`;
  }

  /** Records the worker's heartbeat; returns how many workers are alive (heartbeat within `ttlMs`). */
  async heartbeat(worker: string, ttlMs: number): Promise<number> {
    const key = `${this.prefix}:workers`;
    const now = Date.now();
    const res = await this.r.multi().zadd(key, now, worker).zremrangebyscore(key, '-inf', now - ttlMs).zcard(key).pexpire(key, ttlMs * 4).exec();
    return Number(res?.[2]?.[1] ?? 1);
  }

  /** Removes the worker from the live set (it is shutting down). */
  async leave(worker: string): Promise<void> {
    await this.r.zrem(`${this.prefix}:workers`, worker);
  }

  /** The clusters among `clusterIds` whose lease nobody holds (in the order given). */
  async free(clusterIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < clusterIds.length; i += BATCH) {
      const part = clusterIds.slice(i, i + BATCH);
      const vals = await this.r.mget(...part.map((id) => this.lease(id)));
      part.forEach((id, j) => {
        if (vals[j] === null) out.push(id);
      });
    }
    return out;
  }

  /** Takes the free leases among `clusterIds`; returns those taken. */
  async acquire(clusterIds: readonly string[], worker: string, ttlMs: number): Promise<string[]> {
    const taken: string[] = [];
    for (let i = 0; i < clusterIds.length; i += BATCH) {
      const part = clusterIds.slice(i, i + BATCH);
      const p = this.r.pipeline();
      for (const id of part) p.set(this.lease(id), worker, 'PX', ttlMs, 'NX');
      const res = (await p.exec()) ?? [];
      part.forEach((id, j) => {
        if (res[j]?.[1] === 'OK') taken.push(id);
      });
    }
    return taken;
  }

  /**
   * Extends the leases the worker still holds and records their watches' states; returns the
   * ids whose lease it lost (expired and taken by another worker).
   */
  async renew(held: ReadonlyMap<string, WatchStatus | null>, worker: string, ttlMs: number): Promise<string[]> {
    const ids = [...held.keys()];
    const lost: string[] = [];
    for (let i = 0; i < ids.length; i += BATCH) {
      const part = ids.slice(i, i + BATCH);
      const res = (await this.r.eval(RENEW, part.length, ...part.map((id) => this.lease(id)), worker, String(ttlMs), ...part.map((id) => held.get(id) ?? ''))) as number[];
      part.forEach((id, j) => {
        if (res[j] !== 1) lost.push(id);
      });
    }
    return lost;
  }

  /** Records one watch's state now (between renewals), while the worker holds its lease. */
  async setState(clusterId: string, worker: string, state: WatchStatus, ttlMs: number): Promise<boolean> {
    const lost = await this.renew(new Map([[clusterId, state]]), worker, ttlMs);
    return lost.length === 0;
  }

  async release(clusterIds: readonly string[], worker: string): Promise<void> {
    for (let i = 0; i < clusterIds.length; i += BATCH) {
      const part = clusterIds.slice(i, i + BATCH);
      if (part.length) await this.r.eval(RELEASE, part.length, ...part.map((id) => this.lease(id)), worker);
    }
  }

  /** The worker holding each cluster's lease (null: none). */
  async holders(clusterIds: readonly string[]): Promise<Map<string, string | null>> {
    if (clusterIds.length === 0) return new Map();
    const vals = await this.r.mget(...clusterIds.map((id) => this.lease(id)));
    return new Map(clusterIds.map((id, i) => [id, vals[i] ?? null]));
  }

  /** The watch state of each cluster: `off` unless a live holder recorded one. */
  async statuses(clusterIds: readonly string[]): Promise<Map<string, WatchStatus>> {
    if (clusterIds.length === 0) return new Map();
    const vals = await this.r.mget(...clusterIds.map((id) => `${this.lease(id)}:state`));
    return new Map(clusterIds.map((id, i) => [id, vals[i] === 'connected' || vals[i] === 'reconnecting' ? (vals[i] as WatchStatus) : 'off']));
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
    this.redis = undefined;
  }
}
