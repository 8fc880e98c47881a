import { Inject, Injectable } from '@nestjs/common';
import { type DriftEventMessage, FLEETGATE_CONFIG, type FleetgateConfig, RedisConnections, driftEventsChannel } from '@fleetgate/core';
import { RedisEventsPubSub } from '../common/redis-events.pubsub.js';

/** Drift events (published by workers) for this replica's `driftEvents` subscribers. */
@Injectable()
export class DriftEventsPubSub extends RedisEventsPubSub<DriftEventMessage> {
  constructor(connections: RedisConnections, @Inject(FLEETGATE_CONFIG) config: FleetgateConfig) {
    super('drift', connections, driftEventsChannel(config.queuePrefix));
  }
}
