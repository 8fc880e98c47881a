import { InjectQueue, Processor } from '@nestjs/bullmq';
import { type OnApplicationBootstrap } from '@nestjs/common';
import { IdempotencyService, type JobHandlers, QUEUE, systemActor } from '@fleetgate/core';
import type { Queue } from 'bullmq';
import { JobHandlerRegistry } from '../jobs/job-handler-registry.service.js';
import { QueueProcessor } from '../jobs/queue.processor.js';

const actor = systemActor('worker');
export const PURGE_SCHEDULER_ID = 'purge-idempotency-records';

/** Housekeeping: hourly removal of expired Idempotency-Key records. */
@Processor(QUEUE.maintenance)
export class MaintenanceProcessor extends QueueProcessor<typeof QUEUE.maintenance> implements OnApplicationBootstrap {
  readonly handlers: JobHandlers<typeof QUEUE.maintenance> = {
    'purge-idempotency-records': async () => ({ deleted: await this.idempotency.purgeExpired(actor) }),
  };

  constructor(
    private readonly idempotency: IdempotencyService,
    @InjectQueue(QUEUE.maintenance) private readonly queue: Queue,
    registry: JobHandlerRegistry,
  ) {
    super(QUEUE.maintenance, registry);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      PURGE_SCHEDULER_ID,
      { every: 3_600_000 },
      { name: 'purge-idempotency-records', data: {}, opts: { removeOnComplete: 10, removeOnFail: 10 } },
    );
  }
}
