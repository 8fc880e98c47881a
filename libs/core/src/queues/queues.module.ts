import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { FleetgateConfig } from '../config/index.js';
import { QUEUE_NAMES } from './queue-registry.job.js';
import { redisOptionsFromUrl } from './redis-connection.service.js';

/** BullMQ on the configured Redis, with the configured key prefix, and every registered queue. */
@Module({})
export class QueuesModule {
  static forRoot(config: FleetgateConfig): DynamicModule {
    return {
      module: QueuesModule,
      imports: [
        BullModule.forRoot({ connection: redisOptionsFromUrl(config.redisUrl), prefix: config.queuePrefix }),
        BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
      ],
      exports: [BullModule],
    };
  }
}
