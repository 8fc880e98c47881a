import { Inject, Injectable } from '@nestjs/common';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { type JobPayload, QUEUE, jobId } from '../queues/queue-registry.job.js';
import { RedisConnections } from '../queues/redis-connections.service.js';
import { RedisEventsPublisher, eventsChannelOf } from '../queues/redis-events.publisher.js';

/** The deterministic job id of a (rollout, cluster) target: "the same work" (no ':'). */
export function rolloutJobId(rolloutId: string, clusterId: string): string {
  return jobId(QUEUE.rolloutTarget, rolloutId, clusterId);
}

/** Progress events, published on Redis so that any API replica can serve any subscriber. */
export interface RolloutEvent {
  type: 'rollout.started' | 'rollout.target' | 'rollout.status';
  rolloutId: string;
  status?: string;
  cluster?: string;
  state?: string;
  at: string;
}

export function eventsChannel(prefix: string): string {
  return eventsChannelOf(prefix, 'rollout');
}

/**
 * The one producer of the `rollout-target` queue (target jobs, ids only in payloads) and the
 * publisher of rollout progress. Used by the API (starting, resuming, approving) and the worker
 * (wave advancement, the sweep).
 */
@Injectable()
export class RolloutDispatchService {
  private readonly events: RedisEventsPublisher<RolloutEvent>;

  constructor(
    private readonly redis: RedisConnections,
    @Inject(FLEETGATE_CONFIG) config: FleetgateConfig,
  ) {
    this.events = new RedisEventsPublisher(redis, eventsChannel(config.queuePrefix));
  }

  private get queue() {
    return this.redis.queue(QUEUE.rolloutTarget);
  }

  async enqueue(rolloutId: string, clusterIds: readonly string[], delayMs = 0): Promise<void> {
    for (let i = 0; i < clusterIds.length; i += 1000) {
      await this.queue.addBulk(
        clusterIds.slice(i, i + 1000).map((clusterId) => {
          const data: JobPayload<typeof QUEUE.rolloutTarget, 'run-target'> = { rolloutId, clusterId };
          return {
            name: 'run-target',
            data,
            opts: { jobId: rolloutJobId(rolloutId, clusterId), delay: delayMs > 0 ? delayMs : undefined, removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: 'exponential', delay: 500 } },
          };
        }),
      );
    }
  }

  /** Jobs waiting, delayed and active (for the queue-depth metric). */
  async depth(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
  }

  /** Best effort (Postgres holds the state): never rejects. */
  async publish(event: Omit<RolloutEvent, 'at'>): Promise<void> {
    await this.events.publish({ ...event, at: new Date().toISOString() });
  }
}
