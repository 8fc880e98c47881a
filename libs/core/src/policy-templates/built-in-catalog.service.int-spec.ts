// Two API replicas starting at once on an empty database install the built-in catalog exactly
// once: real Postgres, two Nest contexts with their own connection pools.
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { createTestDatabase, testRedis, type TestDatabase } from '@fleetgate/testing';
import type { INestApplicationContext } from '@nestjs/common';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../auth/actor.js';
import { loadConfig } from '../config/index.js';
import { CoreModule } from '../core.module.js';
import { builtInGates, builtInTemplates } from './built-in-catalog.js';
import { BuiltInCatalogService } from './built-in-catalog.service.js';

let db: TestDatabase;
let cleanupRedis: () => Promise<void>;
const replicas: INestApplicationContext[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const redis = await testRedis();
  cleanupRedis = redis.cleanup;
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    FLEETGATE_MASTER_KEY: randomBytes(32).toString('base64'),
    FLEETGATE_QUEUE_PREFIX: redis.prefix,
    LOG_LEVEL: 'silent',
  });
  for (let i = 0; i < 3; i++) replicas.push(await NestFactory.createApplicationContext(CoreModule.forRoot(config), { logger: false }));
});
afterAll(async () => {
  for (const r of replicas) await r.close();
  await cleanupRedis?.();
  await db?.drop();
});

describe('BuiltInCatalogService.install', () => {
  it('installs once when replicas race on an empty database', async () => {
    const reports = await Promise.all(replicas.map((r, i) => r.get(BuiltInCatalogService).install(systemActor(`api-${i}`))));
    expect(reports.flatMap((r) => r.templates).sort()).toEqual(builtInTemplates().map((t) => t.name).sort());
    expect(reports.flatMap((r) => r.bindings).sort()).toEqual(['gardener-general', 'gardener-service-policies', 'gardener-shoot-system', 'kkp-apiserver']);
    expect(reports.flatMap((r) => r.gates).sort()).toEqual(builtInGates().map((g) => g.key).sort());

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const counts = (
        await client.query<{ templates: string; versions: string; bindings: string; gates: string; events: string }>(
          `SELECT (SELECT count(*) FROM policy_templates) AS templates, (SELECT count(*) FROM policy_template_versions) AS versions,
                  (SELECT count(*) FROM policy_bindings) AS bindings, (SELECT count(*) FROM feature_gates) AS gates,
                  (SELECT count(*) FROM audit_events WHERE action = 'template.create') AS events`,
        )
      ).rows[0]!;
      const n = builtInTemplates().length;
      expect(counts).toEqual({ templates: String(n), versions: String(n), bindings: '4', gates: String(builtInGates().length), events: String(n) });
      const v = await client.query<{ version: number }>(`SELECT DISTINCT version FROM policy_template_versions`);
      expect(v.rows).toEqual([{ version: 1 }]);
    } finally {
      await client.end();
    }
    // and again: nothing more
    const again = await replicas[0]!.get(BuiltInCatalogService).install(systemActor('api-0'));
    expect(again).toEqual({ gates: [], templates: [], versions: [], bindings: [] });
  });
});
