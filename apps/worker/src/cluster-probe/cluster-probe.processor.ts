import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnModuleInit } from '@nestjs/common';
import { ClusterProbeService, type JobHandlers, type JobName, jobId, parseJobPayload, systemActor } from '@fleetgate/core';
import type { Job, Queue } from 'bullmq';
import { JobHandlerRegistry } from '../jobs/job-handler-registry.service.js';

const QUEUE = 'cluster-probe' as const;
const actor = systemActor('worker');

/**
 * Health probes. `probe-all-clusters` (run by the job scheduler) fans out one `probe-cluster` job
 * per cluster, with the deterministic id `probe-cluster-<id>`: while one is queued for a cluster,
 * another round does not add a second.
 */
@Processor(QUEUE, { concurrency: 8 })
export class ClusterProbeProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(ClusterProbeProcessor.name);

  readonly handlers: JobHandlers<typeof QUEUE> = {
    'probe-all-clusters': async () => {
      const ids = await this.probes.allClusterIds(actor);
      await this.queue.addBulk(
        ids.map((clusterId) => ({
          name: 'probe-cluster',
          data: { clusterId },
          opts: { jobId: jobId('probe-cluster', clusterId), removeOnComplete: true, removeOnFail: true },
        })),
      );
      return { enqueued: ids.length };
    },
    'probe-cluster': async ({ clusterId }) => {
      const health = await this.probes.probeById(actor, clusterId);
      return health ? { status: health.status } : { status: 'gone' };
    },
  };

  constructor(
    private readonly probes: ClusterProbeService,
    @InjectQueue(QUEUE) private readonly queue: Queue,
    private readonly registry: JobHandlerRegistry,
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
