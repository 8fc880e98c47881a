import { Inject, Injectable } from '@nestjs/common';
import { FLEETGATE_CONFIG, type FleetgateConfig, type RolloutEvent, eventsChannel } from '@fleetgate/core';
import { RedisEventsPubSub } from '../common/redis-events.pubsub.js';

/** Rollout events (published by workers and API replicas) for this replica's `rolloutProgress` / `rolloutEvents` subscribers. */
@Injectable()
export class RolloutEventsPubSub extends RedisEventsPubSub<RolloutEvent> {
  constructor(@Inject(FLEETGATE_CONFIG) config: FleetgateConfig) {
    super('rollout', config.redisUrl, eventsChannel(config.queuePrefix));
  }
}
