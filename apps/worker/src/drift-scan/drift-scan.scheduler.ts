import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { FLEETGATE_CONFIG, type FleetgateConfig, QUEUE, scanPeriodMs } from '@fleetgate/core';
import type { Queue } from 'bullmq';

export const DRIFT_SCHEDULER_ID = 'drift-scan-round';

/**
 * Keeps one BullMQ job scheduler that runs `drift-scan-round` every interval minus the jitter
 * (`scanPeriodMs`), so that no cluster goes longer than FLEETGATE_DRIFT_INTERVAL_SECONDS unscanned.
 */
@Injectable()
export class DriftScanScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(DriftScanScheduler.name);

  constructor(
    @InjectQueue(QUEUE.driftScan) private readonly queue: Queue,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const seconds = this.config.drift.intervalSeconds;
    if (seconds === 0) {
      await this.queue.removeJobScheduler(DRIFT_SCHEDULER_ID);
      this.logger.log('scheduled drift scans are off (FLEETGATE_DRIFT_INTERVAL_SECONDS=0)');
      return;
    }
    const period = scanPeriodMs({ intervalMs: seconds * 1000, jitterMs: this.config.drift.jitterSeconds * 1000 });
    await this.queue.upsertJobScheduler(DRIFT_SCHEDULER_ID, { every: period }, { name: 'drift-scan-round', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } });
    this.logger.log(`scanning every cluster for drift at least every ${seconds}s (a round every ${period / 1000}s, jitter ${this.config.drift.jitterSeconds}s)`);
  }
}
