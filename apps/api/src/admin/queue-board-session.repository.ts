import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Actor, FLEETGATE_CONFIG, type FleetgateConfig, RedisConnections, type Role } from '@fleetgate/core';
import type { Redis } from 'ioredis';

/** How long a queue-board session lives (the cookie's Max-Age and the Redis TTL). */
export const BOARD_SESSION_SECONDS = 600;
export const BOARD_COOKIE = 'fleetgate_board';

/**
 * Short-lived browser sessions for Bull Board, kept in Redis (any API replica can check them):
 * the key is the SHA-256 of the cookie value, so Redis never holds a usable secret.
 */
@Injectable()
export class QueueBoardSessionRepository {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(@Inject(FLEETGATE_CONFIG) config: FleetgateConfig, connections: RedisConnections) {
    // the process's shared command connection (closed with the module that made it)
    this.redis = connections.publisher();
    this.prefix = `${config.queuePrefix}:board-session:`;
  }

  private key(secret: string): string {
    return this.prefix + createHash('sha256').update(secret).digest('hex');
  }

  async create(actor: Actor): Promise<{ secret: string; expiresAt: Date }> {
    const secret = randomBytes(32).toString('base64url');
    await this.redis.set(this.key(secret), JSON.stringify({ name: actor.name, role: actor.role }), 'EX', BOARD_SESSION_SECONDS);
    return { secret, expiresAt: new Date(Date.now() + BOARD_SESSION_SECONDS * 1000) };
  }

  async find(secret: string): Promise<{ name: string; role: Role } | null> {
    const raw = await this.redis.get(this.key(secret));
    return raw ? (JSON.parse(raw) as { name: string; role: Role }) : null;
  }

  async remove(secret: string): Promise<void> {
    await this.redis.del(this.key(secret));
  }
}
