import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { type JobPayload, QUEUE, jobId } from '../queues/queue-registry.job.js';
import { redisOptionsFromUrl } from '../queues/redis-connection.service.js';

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
  return `${prefix}:rollout-events`;
}

/**
 * The one producer of the `rollout-target` queue (target jobs, ids only in payloads) and the
 * publisher of rollout progress. Used by the API (starting, resuming, approving) and the worker
 * (wave advancement, the sweep).
 */
@Injectable()
export class RolloutDispatchService implements OnModuleDestroy {
  private queue: Queue | undefined;
  private publisher: Redis | undefined;

  constructor(@Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig) {}

  private q(): Queue {
    if (!this.queue) {
      this.queue = new Queue(QUEUE.rolloutTarget, { connection: redisOptionsFromUrl(this.config.redisUrl), prefix: this.config.queuePrefix });
      this.queue.on('error', () => undefined); // a failed add rejects its own promise
    }
    return this.queue;
  }

  async enqueue(rolloutId: string, clusterIds: readonly string[], delayMs = 0): Promise<void> {
    for (let i = 0; i < clusterIds.length; i += 1000) {
      await this.q().addBulk(
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
    return this.q().getJobCounts('waiting', 'delayed', 'active', 'prioritized');
  }

  async publish(event: Omit<RolloutEvent, 'at'>): Promise<void> {
    if (!this.publisher) {
      this.publisher = new Redis(redisOptionsFromUrl(this.config.redisUrl));
      this.publisher.on('error', () => undefined); // a failed publish rejects its own promise; events are best effort
    }
    await this.publisher.publish(eventsChannel(this.config.queuePrefix), JSON.stringify({ ...event, at: new Date().toISOString() }));
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close();
    this.publisher?.disconnect();
  }
}
