import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { FLEETGATE_CONFIG, type FleetgateConfig, QUEUE } from '@fleetgate/core';
import type { Queue } from 'bullmq';

export const PROBE_SCHEDULER_ID = 'probe-all-clusters';

/** Keeps one BullMQ job scheduler that runs `probe-all-clusters` every FLEETGATE_PROBE_INTERVAL_SECONDS. */
@Injectable()
export class ClusterProbeScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ClusterProbeScheduler.name);

  constructor(
    @InjectQueue(QUEUE.clusterProbe) private readonly queue: Queue,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const seconds = this.config.probeIntervalSeconds;
    if (seconds === 0) {
      await this.queue.removeJobScheduler(PROBE_SCHEDULER_ID);
      this.logger.log('scheduled cluster probes are off (FLEETGATE_PROBE_INTERVAL_SECONDS=0)');
      return;
    }
    await this.queue.upsertJobScheduler(
      PROBE_SCHEDULER_ID,
      { every: seconds * 1000 },
      { name: 'probe-all-clusters', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    this.logger.log(`probing every cluster every ${seconds}s`);
  }
}
