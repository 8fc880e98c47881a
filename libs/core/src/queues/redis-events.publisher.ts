import type { RedisConnections } from './redis-connections.service.js';

/** The Redis pub/sub channel of a kind of events under a deployment's prefix. */
export function eventsChannelOf(prefix: string, kind: 'rollout' | 'drift'): string {
  return `${prefix}:${kind}-events`;
}

/**
 * Events to every API replica over one Redis pub/sub channel: the publishing half of the API's
 * `RedisEventsPubSub` (same channel, same JSON). Best effort (Postgres holds the state): a
 * publish that fails is dropped, never awaited by the work that caused it.
 */
export class RedisEventsPublisher<T> {
  constructor(
    private readonly connections: RedisConnections,
    readonly channel: string,
  ) {}

  publish(event: T): Promise<void> {
    return this.connections
      .publisher()
      .publish(this.channel, JSON.stringify(event))
      .then(
        () => undefined,
        () => undefined,
      );
  }
}
