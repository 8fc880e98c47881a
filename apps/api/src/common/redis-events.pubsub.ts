import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { RedisConnections } from '@fleetgate/core';
import { PubSub } from 'graphql-subscriptions';
import { Redis } from 'ioredis';

const TRIGGER = 'events';

/**
 * Events from one Redis pub/sub channel (published by workers and API replicas through core's
 * `RedisEventsPublisher`, the other half of this shape) fanned out to this
 * replica's GraphQL subscribers: every replica subscribes to the channel, so any replica can serve
 * any subscriber. Connects in the background: the API starts (and /readyz reports) while Redis is
 * down; ioredis resubscribes on reconnect.
 */
export abstract class RedisEventsPubSub<T> implements OnModuleInit, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly local = new PubSub<{ [TRIGGER]: T }>();
  private subscriber: Redis | undefined;

  protected constructor(
    private readonly what: string,
    private readonly connections: RedisConnections,
    private readonly channel: string,
  ) {
    this.logger = new Logger(`${what} events`);
  }

  onModuleInit(): void {
    this.subscriber = this.connections.connection();
    this.subscriber.on('error', (err: Error) => this.logger.debug(`${this.what} events subscriber: ${err.message}`));
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        void this.local.publish(TRIGGER, JSON.parse(message) as T);
      } catch {
        this.logger.warn(`dropped a ${this.what} event that is not JSON`);
      }
    });
    this.subscriber.subscribe(this.channel).catch((err: unknown) => this.logger.warn(`subscribing to ${this.what} events failed: ${(err as Error).message}`));
  }

  iterator(): AsyncIterableIterator<T> {
    return this.local.asyncIterableIterator(TRIGGER);
  }

  onModuleDestroy(): void {
    this.subscriber?.disconnect();
  }
}
