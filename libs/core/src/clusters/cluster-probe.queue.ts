import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { type JobPayload, QUEUE, jobId } from '../queues/queue-registry.job.js';
import { redisOptionsFromUrl } from '../queues/redis-connection.service.js';

/**
 * The one producer of the `cluster-probe` queue's `probe-cluster` jobs: one per cluster with the
 * deterministic id `probe-cluster-<id>`, so that while one is queued for a cluster another round
 * does not add a second.
 */
@Injectable()
export class ClusterProbeQueue implements OnModuleDestroy {
  private queue: Queue | undefined;

  constructor(@Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig) {}

  private get q(): Queue {
    this.queue ??= new Queue(QUEUE.clusterProbe, { connection: redisOptionsFromUrl(this.config.redisUrl), prefix: this.config.queuePrefix });
    return this.queue;
  }

  async enqueueProbes(clusterIds: readonly string[]): Promise<{ enqueued: number }> {
    await this.q.addBulk(
      clusterIds.map((clusterId) => {
        const data: JobPayload<typeof QUEUE.clusterProbe, 'probe-cluster'> = { clusterId };
        return { name: 'probe-cluster', data, opts: { jobId: jobId('probe-cluster', clusterId), removeOnComplete: true, removeOnFail: true } };
      }),
    );
    return { enqueued: clusterIds.length };
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close();
  }
}
