import { Controller, Get, HttpException, type OnModuleDestroy } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrismaService, RedisConnections } from '@fleetgate/core';
import type { Redis } from 'ioredis';
import { Public } from '../common/auth.decorator.js';

type Check = 'up' | 'down';

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** /healthz: the process answers. /readyz: Postgres and Redis answer too (503 otherwise). */
@ApiExcludeController()
@Public()
@Controller()
export class HealthController implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(
    private readonly prisma: PrismaService,
    connections: RedisConnections,
  ) {
    this.redis = connections.connection({ lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true });
    this.redis.on('error', () => undefined);
  }

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(): Promise<{ status: 'ok'; checks: Record<string, Check> }> {
    const [postgres, redis] = await Promise.all([
      within(2000, this.prisma.ping()).then(
        (): Check => 'up',
        (): Check => 'down',
      ),
      within(2000, this.redis.ping()).then(
        (): Check => 'up',
        (): Check => 'down',
      ),
    ]);
    const checks = { postgres, redis };
    if (postgres === 'down' || redis === 'down') {
      throw new HttpException({ status: 'unavailable', checks, message: `not ready: ${Object.entries(checks).filter(([, v]) => v === 'down').map(([k]) => k).join(', ')} down` }, 503);
    }
    return { status: 'ok', checks };
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
