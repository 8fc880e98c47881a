import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type DriftEventMessage, FLEETGATE_CONFIG, type FleetgateConfig, driftEventsChannel, redisOptionsFromUrl } from '@fleetgate/core';
import { PubSub } from 'graphql-subscriptions';
import { Redis } from 'ioredis';

const TRIGGER = 'driftEvents';

/** Drift events from Redis pub/sub (published by workers) fanned out to this replica's subscribers. */
@Injectable()
export class DriftEventsPubSub implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DriftEventsPubSub.name);
  private readonly local = new PubSub<{ [TRIGGER]: DriftEventMessage }>();
  private subscriber: Redis | undefined;

  constructor(@Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig) {}

  onModuleInit(): void {
    this.subscriber = new Redis(redisOptionsFromUrl(this.config.redisUrl));
    this.subscriber.on('error', (err: Error) => this.logger.debug(`drift events subscriber: ${err.message}`));
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        void this.local.publish(TRIGGER, JSON.parse(message) as DriftEventMessage);
      } catch {
        this.logger.warn('dropped a drift event that is not JSON');
      }
    });
    this.subscriber.subscribe(driftEventsChannel(this.config.queuePrefix)).catch((err: unknown) => this.logger.warn(`subscribing to drift events failed: ${(err as Error).message}`));
  }

  iterator(): AsyncIterableIterator<DriftEventMessage> {
    return this.local.asyncIterableIterator(TRIGGER);
  }

  onModuleDestroy(): void {
    this.subscriber?.disconnect();
  }
}
