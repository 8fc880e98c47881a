import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { type JobPayload, QUEUE, jobId } from '../queues/queue-registry.job.js';
import { planScanRound } from './drift-schedule.builder.js';
import { RedisConnections } from '../queues/redis-connections.service.js';

const BATCH = 50;

/** The id of the batch job that carries a requested scan (a batch is named after its first scan). */
export function driftScanJobId(scanId: string): string {
  return jobId('drift-scan-batch', scanId);
}
export type DriftBatchPayload = JobPayload<typeof QUEUE.driftScan, 'drift-scan-batch'>;

/**
 * The one producer of the `drift-scan` queue, for services in any app (the API has no
 * BullModule): requested scans and the scheduled rounds, every job a `drift-scan-batch` with an
 * id `drift-scan-batch-…`. Opened lazily on the configured Redis and prefix.
 */
@Injectable()
export class DriftScanQueue {
  constructor(
    private readonly redis: RedisConnections,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {}

  private get q(): Queue {
    return this.redis.queue(QUEUE.driftScan);
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
      jobs.push({ name: 'drift-scan-batch', data, opts: { jobId: driftScanJobId(part[0]!.scanId), removeOnComplete: true, removeOnFail: 100 } });
    }
    await this.q.addBulk(jobs);
  }

  /**
   * A scheduled round: every cluster spread over the round in one-second batches (`planScanRound`),
   * each batch a delayed job (ids by round start and batch, so a round is added once).
   */
  async enqueueRound(clusterIds: readonly string[]): Promise<{ clusters: number; batches: number }> {
    const { intervalSeconds, jitterSeconds } = this.config.drift;
    const round = Date.now();
    const plan = planScanRound(clusterIds, { intervalMs: Math.max(1, intervalSeconds) * 1000, jitterMs: jitterSeconds * 1000 });
    await this.q.addBulk(
      plan.map((b, i) => {
        const data: DriftBatchPayload = { clusterIds: b.clusterIds };
        return { name: 'drift-scan-batch', data, opts: { jobId: jobId('drift-scan-batch', 'round', String(round), String(i)), delay: b.delayMs, removeOnComplete: true, removeOnFail: 100 } };
      }),
    );
    return { clusters: clusterIds.length, batches: plan.length };
  }
}
