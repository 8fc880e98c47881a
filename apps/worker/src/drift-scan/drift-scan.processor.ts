import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnModuleInit } from '@nestjs/common';
import { ClusterProbeService, DriftScanService, InventoryRefreshService, FLEETGATE_CONFIG, type FleetgateConfig, type JobHandlers, type JobName, jobId, parseJobPayload, planScanRound, systemActor } from '@fleetgate/core';
import type { Job, Queue } from 'bullmq';
import { JobHandlerRegistry } from '../jobs/job-handler-registry.service.js';

const QUEUE = 'drift-scan' as const;
const actor = systemActor('drift');

/**
 * Drift scans. `drift-scan-round` (run by the job scheduler every interval minus the jitter) spreads
 * every cluster over the round in one-second batches (`planScanRound`) and adds each batch as a
 * delayed `drift-scan-batch` job; a batch scans its clusters with shared database reads.
 */
@Processor(QUEUE, { concurrency: 8 })
export class DriftScanProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(DriftScanProcessor.name);

  readonly handlers: JobHandlers<typeof QUEUE> = {
    'drift-scan-round': async () => {
      const ids = await this.probes.allClusterIds(actor);
      const { intervalSeconds, jitterSeconds } = this.config.drift;
      const round = Date.now();
      const plan = planScanRound(ids, { intervalMs: Math.max(1, intervalSeconds) * 1000, jitterMs: jitterSeconds * 1000 });
      await this.queue.addBulk(
        plan.map((b, i) => ({
          name: 'drift-scan-batch',
          data: { clusterIds: b.clusterIds },
          opts: { jobId: jobId('drift-round', String(round), String(i)), delay: b.delayMs, removeOnComplete: true, removeOnFail: 100 },
        })),
      );
      return { clusters: ids.length, batches: plan.length };
    },
    'drift-scan-batch': async ({ clusterIds, scanIds }) => {
      // the inventory is refreshed on the drift schedule, just before the drift scan of the same clusters
      await this.inventory.refresh(actor, clusterIds);
      const outcomes = await this.scans.scan(actor, clusterIds, new Map(Object.entries(scanIds ?? {})));
      const count = (s: string) => outcomes.filter((o) => o.status === s).length;
      return { scanned: outcomes.length, succeeded: count('succeeded'), unreachable: count('unreachable'), failed: count('failed'), open: outcomes.reduce((n, o) => n + o.open, 0) };
    },
  };

  constructor(
    private readonly scans: DriftScanService,
    private readonly probes: ClusterProbeService,
    private readonly inventory: InventoryRefreshService,
    @InjectQueue(QUEUE) private readonly queue: Queue,
    private readonly registry: JobHandlerRegistry,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.registry.register(QUEUE, Object.keys(this.handlers));
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobName<typeof QUEUE>;
    const handler = this.handlers[name] as ((payload: unknown) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`No handler for ${QUEUE}/${job.name}`);
    const payload = parseJobPayload(QUEUE, name, job.data);
    const result = await handler(payload);
    this.logger.debug(`${QUEUE}/${job.name} ${job.id ?? ''} done`);
    return result;
  }
}
