import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue, type RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import type { QueueName } from './queue-registry.job.js';
import { redisOptionsFromUrl } from './redis-connection.service.js';

/**
 * The one place Redis connections are made (besides BullMQ's own, from the same options in
 * QueuesModule): the producer `Queue` of each queue (one per queue and process), the shared event
 * publisher, dedicated subscriber connections and connections with other options (readiness
 * checks). Everything made here is closed with the module.
 */
@Injectable()
export class RedisConnections implements OnModuleDestroy {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly connections = new Set<Redis>();
  private shared: Redis | undefined;

  constructor(@Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig) {}

  /** ioredis options of the configured Redis (`maxRetriesPerRequest: null`, as BullMQ workers need). */
  options(): RedisOptions {
    return redisOptionsFromUrl(this.config.redisUrl);
  }

  /** The producer side of a queue on the configured prefix, opened on first use. A failed add rejects its own promise. */
  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.options(), prefix: this.config.queuePrefix });
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  /** The process's shared connection for publishing events (a failed publish rejects its own promise). */
  publisher(): Redis {
    if (!this.shared) {
      this.shared = this.connection();
      this.shared.on('error', () => undefined);
    }
    return this.shared;
  }

  /** A dedicated connection (subscriber mode takes a connection of its own), with `overrides` on the options. */
  connection(overrides: RedisOptions = {}): Redis {
    const c = new Redis({ ...this.options(), ...overrides });
    this.connections.add(c);
    return c;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    for (const c of this.connections) c.disconnect();
    this.queues.clear();
    this.connections.clear();
  }
}
