// The reachable path of ensureServices, the probes, and starting a local redis-server.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, quoteIdent, testDatabaseName, withDatabase } from '@fleetgate/testing';
import { ROOT } from '../../scripts/lib/migrate.mjs';
import { ensureDatabase, ensureServices, postgresAnswers, redisAnswers } from '../../scripts/lib/services.mjs';

const server = inject('fleetgateDatabaseServerUrl');
const redisUrl = inject('fleetgateRedisUrl');
const runId = inject('fleetgateRunId');
const toDrop: string[] = [];
const pidFiles: string[] = [];

/** A TCP port nothing listens on. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

afterAll(async () => {
  for (const name of toDrop) await adminQuery(server, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  for (const file of pidFiles) {
    if (existsSync(file)) process.kill(Number(readFileSync(file, 'utf8').trim()), 'SIGTERM');
  }
});

describe('probes', () => {
  it('see the running servers', async () => {
    expect(await postgresAnswers(server)).toBe(true);
    expect(await redisAnswers(redisUrl)).toBe(true);
  });

  it('answer false for a port where nothing listens', async () => {
    const port = await freePort();
    expect(await postgresAnswers(`postgresql://postgres@127.0.0.1:${port}/x`, 500)).toBe(false);
    expect(await redisAnswers(`redis://127.0.0.1:${port}`, 500)).toBe(false);
  });

  it('count a server whose database is missing as answering', async () => {
    expect(await postgresAnswers(withDatabase(server, testDatabaseName(runId)))).toBe(true);
  });
});

describe('ensureServices', () => {
  it('starts nothing when both answer, and creates the missing database once', async () => {
    const name = testDatabaseName(runId);
    toDrop.push(name);
    const databaseUrl = withDatabase(server, name);
    const logs: string[] = [];
    const result = await ensureServices({ databaseUrl, redisUrl, log: (m) => logs.push(m) });
    expect(result).toEqual({ databaseUrl, redisUrl, started: [], databaseCreated: true });
    expect(logs).toEqual([`Created database ${name}.`]);
    const again = await ensureServices({ databaseUrl, redisUrl, log: () => {} });
    expect(again.databaseCreated).toBe(false);
    expect((await adminQuery(server, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount).toBe(1);
  });

  it('creates a database safely when several callers race', async () => {
    const name = testDatabaseName(runId);
    toDrop.push(name);
    const url = withDatabase(server, name);
    const results = await Promise.all([ensureDatabase(url), ensureDatabase(url), ensureDatabase(url)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  const hasRedisServer = spawnSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status === 0;
  const hasCompose = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasRedisServer || hasCompose)('starts a local redis-server (noeviction, AOF) when Redis does not answer', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    pidFiles.push(join(ROOT, '.fleetgate', 'redis', `redis-${port}.pid`));
    const result = await ensureServices({ databaseUrl: server, redisUrl: url, createDatabase: false, log: () => {} });
    expect(result.started).toEqual(['redis']);
    expect(await redisAnswers(url)).toBe(true);
    const config = spawnSync('redis-cli', ['-p', String(port), 'config', 'get', '*'], { encoding: 'utf8' }).stdout.split('\n');
    const get = (key: string) => config[config.indexOf(key) + 1];
    expect(get('maxmemory-policy')).toBe('noeviction');
    expect(get('appendonly')).toBe('yes');
    expect(get('bind')).toBe('127.0.0.1');
  });
});

