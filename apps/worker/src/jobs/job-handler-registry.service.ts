import { Injectable } from '@nestjs/common';
import { QUEUE_NAMES, type QueueName, assertHandlersComplete } from '@fleetgate/core';

/**
 * Processors register the job names they handle; at bootstrap the worker refuses to start when
 * any queue or job name of the registry (QUEUES) has no handler (CONVENTIONS rule 13).
 */
@Injectable()
export class JobHandlerRegistry {
  private readonly handled = new Map<QueueName, string[]>();

  register(queue: QueueName, jobNames: string[]): void {
    this.handled.set(queue, [...(this.handled.get(queue) ?? []), ...jobNames]);
  }

  assertComplete(queues: readonly QueueName[] = QUEUE_NAMES): void {
    const problems: string[] = [];
    for (const queue of queues) {
      try {
        const names = this.handled.get(queue);
        if (!names) throw new Error(`Queue "${queue}": no processor`);
        assertHandlersComplete(queue, names);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    if (problems.length > 0) throw new Error(`Refusing to start the worker: ${problems.join('; ')}`);
  }
}
