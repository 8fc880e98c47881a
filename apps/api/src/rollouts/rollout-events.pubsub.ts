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

  /** Connects in the background: the API starts (and /readyz reports) while Redis is down; ioredis resubscribes on reconnect. */
  onModuleInit(): void {
    this.subscriber = new Redis(redisOptionsFromUrl(this.config.redisUrl));
    this.subscriber.on('error', (err: Error) => this.logger.debug(`rollout events subscriber: ${err.message}`));
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        void this.local.publish(TRIGGER, JSON.parse(message) as RolloutEvent);
      } catch {
        this.logger.warn('dropped a rollout event that is not JSON');
      }
    });
    this.subscriber.subscribe(eventsChannel(this.config.queuePrefix)).catch((err: unknown) => this.logger.warn(`subscribing to rollout events failed: ${(err as Error).message}`));
  }

  iterator(): AsyncIterableIterator<RolloutEvent> {
    return this.local.asyncIterableIterator(TRIGGER);
  }

  onModuleDestroy(): void {
    this.subscriber?.disconnect();
  }
}
