import { WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnModuleInit } from '@nestjs/common';
import { type JobHandlers, type JobName, type QueueName, parseJobPayload } from '@fleetgate/core';
import type { Job } from 'bullmq';
import { JobHandlerRegistry } from './job-handler-registry.service.js';

/**
 * What every processor shares (CONVENTIONS rule 13): it registers its job names at start (the
 * worker refuses to start when a registered job has no handler), and `process` parses the payload
 * against the queue registry and calls the job's handler. A processor only declares its queue and
 * its handlers, each one call into a service.
 */
export abstract class QueueProcessor<Q extends QueueName> extends WorkerHost implements OnModuleInit {
  protected readonly logger: Logger;
  abstract readonly handlers: JobHandlers<Q>;

  protected constructor(
    private readonly queueName: Q,
    private readonly registry: JobHandlerRegistry,
  ) {
    super();
    this.logger = new Logger(`${queueName} processor`);
  }

  onModuleInit(): void {
    this.registry.register(this.queueName, Object.keys(this.handlers));
  }

  async process(job: Job, _token?: string): Promise<unknown> {
    const name = job.name as JobName<Q>;
    const handler = this.handlers[name] as ((payload: unknown) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`No handler for ${this.queueName}/${job.name}`);
    const result = await handler(parseJobPayload(this.queueName, name, job.data));
    this.logger.debug(`${this.queueName}/${job.name} ${job.id ?? ''} done`);
    return result;
  }
}
