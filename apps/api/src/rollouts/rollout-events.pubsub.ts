import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { FLEETGATE_CONFIG, type FleetgateConfig, type RolloutEvent, eventsChannel, redisOptionsFromUrl } from '@fleetgate/core';
import { PubSub } from 'graphql-subscriptions';
import { Redis } from 'ioredis';

const TRIGGER = 'rolloutEvents';

/**
 * Rollout events from Redis pub/sub (published by workers and API replicas) fanned out to this
 * replica's GraphQL subscribers: every replica subscribes to the channel, so any replica can
 * serve any subscriber.
 */
@Injectable()
export class RolloutEventsPubSub implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RolloutEventsPubSub.name);
  private readonly local = new PubSub<{ [TRIGGER]: RolloutEvent }>();
  private subscriber: Redis | undefined;

  constructor(@Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig) {}

  async onModuleInit(): Promise<void> {
    this.subscriber = new Redis({ ...redisOptionsFromUrl(this.config.redisUrl), lazyConnect: true });
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        void this.local.publish(TRIGGER, JSON.parse(message) as RolloutEvent);
      } catch {
        this.logger.warn('dropped a rollout event that is not JSON');
      }
    });
    await this.subscriber.connect();
    await this.subscriber.subscribe(eventsChannel(this.config.queuePrefix));
  }

  iterator(): AsyncIterableIterator<RolloutEvent> {
    return this.local.asyncIterableIterator(TRIGGER);
  }

  onModuleDestroy(): void {
    this.subscriber?.disconnect();
  }
}
