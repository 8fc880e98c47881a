import { Processor } from '@nestjs/bullmq';
import { ClusterProbeService, DriftScanQueue, DriftScanService, type JobHandlers, QUEUE, systemActor } from '@fleetgate/core';
import { JobHandlerRegistry } from '../jobs/job-handler-registry.service.js';
import { QueueProcessor } from '../jobs/queue.processor.js';

const actor = systemActor('drift');

/**
 * Drift scans. `drift-scan-round` (run by the job scheduler every interval minus the jitter) has
 * the queue's producer spread every cluster over the round in delayed one-second batches; a
 * `drift-scan-batch` scans its clusters with shared database reads.
 */
@Processor(QUEUE.driftScan, { concurrency: 8 })
export class DriftScanProcessor extends QueueProcessor<typeof QUEUE.driftScan> {
  readonly handlers: JobHandlers<typeof QUEUE.driftScan> = {
    'drift-scan-round': async () => this.producer.enqueueRound(await this.probes.allClusterIds(actor)),
    'drift-scan-batch': async ({ clusterIds, scanIds }) => {
      const outcomes = await this.scans.scan(actor, clusterIds, new Map(Object.entries(scanIds ?? {})));
      const count = (s: string) => outcomes.filter((o) => o.status === s).length;
      return { scanned: outcomes.length, succeeded: count('succeeded'), unreachable: count('unreachable'), failed: count('failed'), open: outcomes.reduce((n, o) => n + o.open, 0) };
    },
  };

  constructor(
    private readonly scans: DriftScanService,
    private readonly probes: ClusterProbeService,
    private readonly producer: DriftScanQueue,
    registry: JobHandlerRegistry,
  ) {
    super(QUEUE.driftScan, registry);
  }
}
