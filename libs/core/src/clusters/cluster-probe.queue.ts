import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { type JobPayload, QUEUE, jobId } from '../queues/queue-registry.job.js';
import { RedisConnections } from '../queues/redis-connections.service.js';

/**
 * The one producer of the `cluster-probe` queue's `probe-cluster` jobs: one per cluster with the
 * deterministic id `probe-cluster-<id>`, so that while one is queued for a cluster another round
 * does not add a second.
 */
@Injectable()
export class ClusterProbeQueue {
  constructor(
    private readonly redis: RedisConnections,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {}

  private get q(): Queue {
    return this.redis.queue(QUEUE.clusterProbe);
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
}
