import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { type JobPayload, jobId } from '../queues/queue-registry.job.js';
import { redisOptionsFromUrl } from '../queues/redis-connection.service.js';

export const DRIFT_QUEUE = 'drift-scan' as const;
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

  /** One job per requested scan (its id is the scan's: re-adding it is a no-op). */
  async enqueueScans(scans: readonly { scanId: string; clusterId: string }[]): Promise<void> {
    if (scans.length === 0) return;
    await this.q.addBulk(
      scans.map((s) => ({
        name: 'drift-scan-batch',
        data: { clusterIds: [s.clusterId], scanIds: { [s.clusterId]: s.scanId } } satisfies DriftBatchPayload,
        opts: { jobId: jobId('drift-scan', s.scanId), removeOnComplete: true, removeOnFail: 100 },
      })),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close();
  }
}
