import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { provided } from '../harness/provided.js';

export interface TestRedis {
  /** The Redis server URL. */
  url: string;
  /**
   * This test file's key prefix (`fgtest-<24 hex>`, no `:`): use it as the BullMQ `prefix` and as
   * the prefix of every other key, so files running in parallel never see each other's data.
   */
  prefix: string;
  /** Deletes every key under the prefix. Idempotent. */
  cleanup(): Promise<void>;
}

export const TEST_REDIS_PREFIX = 'fgtest-';

/** Deletes all keys starting with `prefix` (SCAN + UNLINK, in batches). Returns how many. */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<number> {
  if (!prefix) throw new Error('Refusing to delete keys with an empty prefix');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  await redis.connect();
  let deleted = 0;
  try {
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** A Redis key prefix of its own for one test file. Call `cleanup()` in `afterAll`. */
export async function testRedis(options: { url?: string } = {}): Promise<TestRedis> {
  const url = options.url ?? (await provided('fleetgateRedisUrl'));
  const prefix = `${TEST_REDIS_PREFIX}${randomBytes(12).toString('hex')}`;
  return {
    url,
    prefix,
    cleanup: async () => {
      await deleteKeysWithPrefix(url, prefix);
    },
  };
}
