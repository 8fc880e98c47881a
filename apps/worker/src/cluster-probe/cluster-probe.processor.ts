import { Processor } from '@nestjs/bullmq';
import { ClusterProbeQueue, ClusterProbeService, type JobHandlers, QUEUE, systemActor } from '@fleetgate/core';
import { JobHandlerRegistry } from '../jobs/job-handler-registry.service.js';
import { QueueProcessor } from '../jobs/queue.processor.js';

const actor = systemActor('worker');

/** Health probes: a round (run by the job scheduler) adds one `probe-cluster` job per cluster. */
@Processor(QUEUE.clusterProbe, { concurrency: 8 })
export class ClusterProbeProcessor extends QueueProcessor<typeof QUEUE.clusterProbe> {
  readonly handlers: JobHandlers<typeof QUEUE.clusterProbe> = {
    'probe-all-clusters': async () => this.producer.enqueueProbes(await this.probes.allClusterIds(actor)),
    'probe-cluster': async ({ clusterId }) => {
      const health = await this.probes.probeById(actor, clusterId);
      return health ? { status: health.status } : { status: 'gone' };
    },
  };

  constructor(
    private readonly probes: ClusterProbeService,
    private readonly producer: ClusterProbeQueue,
    registry: JobHandlerRegistry,
  ) {
    super(QUEUE.clusterProbe, registry);
  }
}
