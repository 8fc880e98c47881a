import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { IdempotencyService, type JobHandlers, type JobName, parseJobPayload, systemActor } from '@fleetgate/core';
import type { Job, Queue } from 'bullmq';
import { JobHandlerRegistry } from '../jobs/job-handler-registry.service.js';

const QUEUE = 'maintenance' as const;
const actor = systemActor('worker');
export const PURGE_SCHEDULER_ID = 'purge-idempotency-records';

/** Housekeeping: hourly removal of expired Idempotency-Key records. */
@Processor(QUEUE)
export class MaintenanceProcessor extends WorkerHost implements OnModuleInit, OnApplicationBootstrap {
  readonly handlers: JobHandlers<typeof QUEUE> = {
    'purge-idempotency-records': async () => ({ deleted: await this.idempotency.purgeExpired(actor) }),
  };

  constructor(
    private readonly idempotency: IdempotencyService,
    @InjectQueue(QUEUE) private readonly queue: Queue,
    private readonly registry: JobHandlerRegistry,
  ) {
    super();
  }

  onModuleInit(): void {
    this.registry.register(QUEUE, Object.keys(this.handlers));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      PURGE_SCHEDULER_ID,
      { every: 3_600_000 },
      { name: 'purge-idempotency-records', data: {}, opts: { removeOnComplete: 10, removeOnFail: 10 } },
    );
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobName<typeof QUEUE>;
    const handler = this.handlers[name] as ((payload: unknown) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`No handler for ${QUEUE}/${job.name}`);
    return handler(parseJobPayload(QUEUE, name, job.data));
  }
}
