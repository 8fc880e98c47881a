import { Inject, Injectable } from '@nestjs/common';
import { FLEETGATE_CONFIG, type FleetgateConfig, RedisConnections, type RolloutEvent, eventsChannel } from '@fleetgate/core';
import { RedisEventsPubSub } from '../common/redis-events.pubsub.js';

/** Rollout events (published by workers and API replicas) for this replica's `rolloutProgress` / `rolloutEvents` subscribers. */
@Injectable()
export class RolloutEventsPubSub extends RedisEventsPubSub<RolloutEvent> {
  constructor(connections: RedisConnections, @Inject(FLEETGATE_CONFIG) config: FleetgateConfig) {
    super('rollout', connections, eventsChannel(config.queuePrefix));
  }
}
