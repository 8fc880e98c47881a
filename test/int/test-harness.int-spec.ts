// The per-file database and Redis prefix helpers, and the template database of the global setup.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  adminQuery,
  createTestDatabase,
  deleteKeysWithPrefix,
  quoteIdent,
  testDatabaseName,
  testRedis,
  withDatabase,
} from '@fleetgate/testing';
import { migrationStatus } from '../../scripts/lib/migrate.mjs';
import { dropStaleDatabases, ensureTemplateDatabase, migrationsHash, templateLockKey } from '../global-setup.js';

const server = inject('fleetgateDatabaseServerUrl');
const runId = inject('fleetgateRunId');
const cleanups: (() => Promise<unknown>)[] = [];

async function rows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const exists = async (name: string) => (await adminQuery(server, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('createTestDatabase', () => {
  it('clones the migrated template of the global setup', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    expect(db.name).toMatch(new RegExp(`^fleetgate_test_[0-9a-z]+_${runId}_`));
    expect(db.url).toBe(withDatabase(server, db.name));
    const status = await migrationStatus(db.url);
    expect(status).toMatchObject({ upToDate: true, pending: [] });
  });

  it('gives each caller its own copy of the template: data never leaks between them', async () => {
    const template = testDatabaseName(runId);
    await adminQuery(server, `CREATE DATABASE ${quoteIdent(template)}`);
    cleanups.push(() => adminQuery(server, `DROP DATABASE IF EXISTS ${quoteIdent(template)} WITH (FORCE)`));
    const client = new pg.Client({ connectionString: withDatabase(server, template) });
    await client.connect();
    await client.query(`CREATE TABLE item (name text); INSERT INTO item VALUES ('seed')`);
    await client.end();

    const [a, b] = await Promise.all([createTestDatabase({ templateDatabase: template }), createTestDatabase({ templateDatabase: template })]);
    cleanups.push(() => a.drop(), () => b.drop());
    expect(a.name).not.toBe(b.name);
    await rows(a.url, `INSERT INTO item VALUES ('only in a')`);
    expect(await rows(a.url, 'SELECT name FROM item ORDER BY name')).toEqual([{ name: 'only in a' }, { name: 'seed' }]);
    expect(await rows(b.url, 'SELECT name FROM item')).toEqual([{ name: 'seed' }]);
  });

  it('drop() removes the database even with connections open, and is idempotent', async () => {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => {});
    await client.connect();
    await db.drop();
    await db.drop();
    expect(await exists(db.name)).toBe(false);
    await client.end().catch(() => {});
  });
});

describe('testRedis', () => {
  it('gives each caller its own prefix, and cleanup() deletes only that prefix\'s keys', async () => {
    const [a, b] = await Promise.all([testRedis(), testRedis()]);
    cleanups.push(() => a.cleanup(), () => b.cleanup());
    expect(a.prefix).toMatch(/^fgtest-[0-9a-f]{24}$/);
    expect(a.prefix).not.toBe(b.prefix);
    expect(a.url).toBe(inject('fleetgateRedisUrl'));
    const redis = new Redis(a.url);
    try {
      for (let i = 0; i < 1500; i++) await redis.set(`${a.prefix}:k${i}`, '1');
      await redis.set(`${b.prefix}:kept`, '1');
      await a.cleanup();
      expect(await redis.keys(`${a.prefix}*`)).toEqual([]);
      expect(await redis.get(`${b.prefix}:kept`)).toBe('1');
    } finally {
      redis.disconnect();
    }
  });

  it('refuses to delete with an empty prefix', async () => {
    await expect(deleteKeysWithPrefix(inject('fleetgateRedisUrl'), '')).rejects.toThrow(/empty prefix/);
  });
});

describe('the template database', () => {
  const schemaSql = 'CREATE TABLE widget (id int PRIMARY KEY);\n';

  async function migrationsDir(sql: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'fleetgate-tpl-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, '20260101000000_init'));
    await writeFile(join(dir, '20260101000000_init', 'migration.sql'), sql);
    await writeFile(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    return dir;
  }

  it('is named after the migrations, built once under concurrency, and marked ready', async () => {
    const dir = await migrationsDir(`${schemaSql}-- ${runId} ${Date.now()}\n`);
    const hash = await migrationsHash(dir);
    const names = await Promise.all([ensureTemplateDatabase(server, dir), ensureTemplateDatabase(server, dir), ensureTemplateDatabase(server, dir)]);
    cleanups.push(() => adminQuery(server, `DROP DATABASE IF EXISTS ${quoteIdent(names[0] ?? '')} WITH (FORCE)`));
    expect(new Set(names)).toEqual(new Set([`fleetgate_tpl_${hash.slice(0, 16)}`]));
    const [row] = (await adminQuery(server, `SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1`, [names[0]])).rows;
    expect(row.c).toMatch(/^fleetgate-template ready /);
    expect(await rows(withDatabase(server, names[0] ?? ''), `SELECT count(*)::int AS n FROM _prisma_migrations`)).toEqual([{ n: 1 }]);
  });

  it('changes name when a migration changes, and rebuilds a half-built one', async () => {
    const dir = await migrationsDir(`${schemaSql}-- ${runId} ${Date.now()} half\n`);
    const expected = `fleetgate_tpl_${(await migrationsHash(dir)).slice(0, 16)}`;
    // what a run killed mid-build leaves: the database exists, without the ready mark
    await adminQuery(server, `CREATE DATABASE ${quoteIdent(expected)}`);
    cleanups.push(() => adminQuery(server, `DROP DATABASE IF EXISTS ${quoteIdent(expected)} WITH (FORCE)`));
    expect(await ensureTemplateDatabase(server, dir)).toBe(expected);
    expect(await rows(withDatabase(server, expected), `SELECT to_regclass('widget')::text AS t`)).toEqual([{ t: 'widget' }]);
    await writeFile(join(dir, '20260101000000_init', 'migration.sql'), `${schemaSql}-- edited\n`);
    expect(await ensureTemplateDatabase(server, dir)).not.toBe(expected);
    cleanups.push(async () => adminQuery(server, `DROP DATABASE IF EXISTS ${quoteIdent(`fleetgate_tpl_${(await migrationsHash(dir)).slice(0, 16)}`)} WITH (FORCE)`));
  });

  it('cleanup drops test databases older than an hour, not fresh ones nor the current template', async () => {
    const old = testDatabaseName(runId, new Date(Date.now() - 2 * 3600_000));
    const fresh = testDatabaseName(runId);
    for (const name of [old, fresh]) {
      await adminQuery(server, `CREATE DATABASE ${quoteIdent(name)}`);
      cleanups.push(() => adminQuery(server, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    }
    // a half-built template of other migrations, abandoned by a killed run
    const abandoned = `fleetgate_tpl_${'0'.repeat(8)}${Date.now().toString(16).slice(-8).padStart(8, '0')}`;
    await adminQuery(server, `CREATE DATABASE ${quoteIdent(abandoned)}`);
    cleanups.push(() => adminQuery(server, `DROP DATABASE IF EXISTS ${quoteIdent(abandoned)} WITH (FORCE)`));
    const current = inject('fleetgateTemplateDatabase');
    const dropped = await dropStaleDatabases(server, current);
    expect(dropped).toContain(old);
    expect(await exists(old)).toBe(false);
    expect(await exists(fresh)).toBe(true);
    expect(await exists(current)).toBe(true);
    expect(await exists(abandoned)).toBe(false);
  });

  it('cleanup leaves alone a template that another setup is building right now', async () => {
    const building = `fleetgate_tpl_${'1'.repeat(8)}${Date.now().toString(16).slice(-8).padStart(8, '0')}`;
    await adminQuery(server, `CREATE DATABASE ${quoteIdent(building)}`);
    cleanups.push(() => adminQuery(server, `DROP DATABASE IF EXISTS ${quoteIdent(building)} WITH (FORCE)`));
    const builder = new pg.Client({ connectionString: server });
    await builder.connect();
    try {
      await builder.query('SELECT pg_advisory_lock($1::bigint)', [templateLockKey(building)]);
      await dropStaleDatabases(server, inject('fleetgateTemplateDatabase'));
      expect(await exists(building)).toBe(true);
    } finally {
      await builder.end();
    }
  });
});
