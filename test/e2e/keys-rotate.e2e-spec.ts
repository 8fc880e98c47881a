// Key rotation: credentials and stored idempotent responses sealed under the old master key are
// re-encrypted under the new one (service and `npm run keys:rotate`), after which the old key
// is no longer needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { ClusterProbeService, CoreModule, type FleetgateConfig, KeyRotationService, keyIdOf, systemActor } from '@fleetgate/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bootApi, randomKey, type TestApi } from './support/api-app.js';
import { b64, startTinyApiServer, type TinyApiServer } from './support/clusters.fixtures.js';

let api: TestApi;
let tiny: TinyApiServer;
let rotatedTo: Buffer | undefined;
const root = join(import.meta.dirname, '..', '..');

beforeAll(async () => {
  [api, tiny] = await Promise.all([bootApi(), startTinyApiServer()]);
  for (const name of ['rot-a', 'rot-b']) {
    const res = await api.as('admin').post('/api/v1/clusters').send({ name, role: 'seed', credentials: { server: tiny.url, caData: b64(tiny.tls.caPem), token: tiny.token } });
    expect(res.status).toBe(201);
  }
  expect((await api.as('admin').post('/api/v1/tokens').set('Idempotency-Key', 'rot-tok').send({ name: 'rot', role: 'viewer' })).status).toBe(201);
});
afterAll(async () => {
  await Promise.all([api?.close(), tiny?.close()]);
});

async function withCore<T>(config: FleetgateConfig, fn: (get: <S>(t: new (...a: never[]) => S) => S) => Promise<T>): Promise<T> {
  const ctx = await NestFactory.createApplicationContext(CoreModule.forRoot(config), { logger: false });
  try {
    return await fn((t) => ctx.get(t));
  } finally {
    await ctx.close();
  }
}

const keyIds = async () =>
  [
    ...(await api.sql<{ k: string }>('SELECT credential_key_id AS k FROM clusters')),
    ...(await api.sql<{ k: string }>('SELECT response_key_id AS k FROM idempotency_records WHERE response_key_id IS NOT NULL')),
  ].map((r) => r.k);

it('re-encrypts every credential and stored response under the new key', async () => {
  const oldKey = api.config.masterKey;
  expect(new Set(await keyIds())).toEqual(new Set([keyIdOf(oldKey)]));
  const before = await api.sql<{ name: string; c: string }>('SELECT name, credential_ciphertext AS c FROM clusters ORDER BY name');
  const newKey = Buffer.from(randomKey(), 'base64');
  rotatedTo = newKey;
  const rotating = { ...api.config, masterKey: newKey, previousMasterKeys: [oldKey] };

  // only the new key: the old ciphertexts cannot be read
  await withCore({ ...api.config, masterKey: newKey, previousMasterKeys: [] }, async (get) => {
    await expect(get(ClusterProbeService).probe(systemActor('test'), 'rot-a')).rejects.toThrow(/No key with id/);
  });

  const result = await withCore(rotating, (get) => get(KeyRotationService).rotate(systemActor('test')));
  expect(result).toEqual({ keyId: keyIdOf(newKey), clusters: 2, idempotencyRecords: 1, remaining: 0 });
  expect(new Set(await keyIds())).toEqual(new Set([keyIdOf(newKey)]));
  const after = await api.sql<{ name: string; c: string }>('SELECT name, credential_ciphertext AS c FROM clusters ORDER BY name');
  expect(after.map((r) => r.c)).not.toEqual(before.map((r) => r.c));

  // the new key alone now suffices
  await withCore({ ...api.config, masterKey: newKey, previousMasterKeys: [] }, async (get) => {
    const probed = await get(ClusterProbeService).probe(systemActor('test'), 'rot-b');
    expect(probed.health.status).toBe('healthy');
    expect((await get(KeyRotationService).rotate(systemActor('test'))).clusters).toBe(0);
  });
  const audit = await api.as('viewer').get(`/api/v1/audit-events?subject=key/${keyIdOf(newKey)}`);
  expect(audit.body.items.map((e: { action: string; summary: { clusters: number } }) => [e.action, e.summary.clusters])).toEqual([
    ['keys.rotate', 0],
    ['keys.rotate', 2],
  ]);
});

it.skipIf(!existsSync(join(root, 'libs', 'core', 'dist', 'index.js')))('npm run keys:rotate does the same from the command line (built code)', async () => {
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['scripts/keys-rotate.mjs'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: api.databaseUrl, REDIS_URL: api.config.redisUrl, LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
    });
  const missing = run({});
  expect(missing.status).toBe(2);
  expect(missing.stderr).toContain('FLEETGATE_MASTER_KEY');
  const next = randomKey();
  const withoutOld = run({ FLEETGATE_MASTER_KEY: next });
  expect(withoutOld.status).toBe(1);
  expect(withoutOld.stderr).toMatch(/No key with id .* FLEETGATE_PREVIOUS_MASTER_KEYS/);
  expect(new Set(await keyIds())).toEqual(new Set([keyIdOf(rotatedTo!)]));
  const ok = run({ FLEETGATE_MASTER_KEY: next, FLEETGATE_PREVIOUS_MASTER_KEYS: rotatedTo!.toString('base64') });
  expect(ok.stderr).toBe('');
  expect(ok.status).toBe(0);
  const nextId = keyIdOf(Buffer.from(next, 'base64'));
  expect(ok.stdout).toContain(`current key ${nextId}; re-encrypted 2 cluster credential(s) and 1 stored response(s)`);
  expect(new Set(await keyIds())).toEqual(new Set([nextId]));
});
