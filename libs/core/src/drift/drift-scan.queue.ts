import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { type JobPayload, jobId } from '../queues/queue-registry.job.js';
import { redisOptionsFromUrl } from '../queues/redis-connection.service.js';

export const DRIFT_QUEUE = 'drift-scan' as const;
const BATCH = 50;
export type DriftBatchPayload = JobPayload<typeof DRIFT_QUEUE, 'drift-scan-batch'>;

/**
 * The producer side of the `drift-scan` queue, for services in any app (the API has no
 * BullModule): opened lazily on the configured Redis and prefix.
 */
@Injectable()
export class DriftScanQueue implements OnModuleDestroy {
  private queue: Queue | undefined;

  constructor(@Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig) {}

  private get q(): Queue {
    this.queue ??= new Queue(DRIFT_QUEUE, { connection: redisOptionsFromUrl(this.config.redisUrl), prefix: this.config.queuePrefix });
    return this.queue;
  }

  /**
   * Requested scans as batch jobs of up to BATCH clusters (a batch shares its database reads);
   * a job's id is its first scan's, so re-adding the same request is a no-op.
   */
  async enqueueScans(scans: readonly { scanId: string; clusterId: string }[]): Promise<void> {
    if (scans.length === 0) return;
    const jobs = [];
    for (let i = 0; i < scans.length; i += BATCH) {
      const part = scans.slice(i, i + BATCH);
      const data: DriftBatchPayload = { clusterIds: part.map((s) => s.clusterId), scanIds: Object.fromEntries(part.map((s) => [s.clusterId, s.scanId])) };
      jobs.push({ name: 'drift-scan-batch', data, opts: { jobId: jobId('drift-scan', part[0]!.scanId), removeOnComplete: true, removeOnFail: 100 } });
    }
    await this.q.addBulk(jobs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close();
  }
}
