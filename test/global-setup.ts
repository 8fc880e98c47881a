// Global setup of the `int` and `e2e` Vitest projects (CONVENTIONS rule 15):
// 1. find or start Postgres and Redis (scripts/lib/services.mjs);
// 2. build the template database once: named after a hash of prisma/migrations, reused while the
//    migrations are unchanged, built under an advisory lock (both projects' setups, and other
//    people's runs on the same server, may run at the same time), marked ready only when complete;
// 3. drop test databases older than an hour (left by killed runs) and outdated templates;
// 4. provide the server URL, template name, Redis URL and run id to the test files
//    (libs/testing: createTestDatabase(), testRedis()).
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import {
  TEMPLATE_DATABASE_PREFIX,
  TEST_DATABASE_PREFIX,
  newRunId,
  quoteIdent,
  staleTestDatabases,
  templateDatabaseName,
  withDatabase,
} from '../libs/testing/src/index.js';
import { DEFAULT_MIGRATIONS, applyMigrations } from '../scripts/lib/migrate.mjs';
import { ensureServices, resolveServiceUrls } from '../scripts/lib/services.mjs';

const READY = 'fleetgate-template ready';
/** Templates of other migration sets are dropped once unused for this long. */
const OLD_TEMPLATE_MS = 60 * 60 * 1000;

/** sha256 over every migration directory name and migration.sql, plus the lockfile. */
export async function migrationsHash(migrationsDir: string = DEFAULT_MIGRATIONS): Promise<string> {
  const hash = createHash('sha256');
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  hash.update(await readFile(join(migrationsDir, 'migration_lock.toml'), 'utf8').catch(() => ''));
  for (const dir of dirs) {
    hash.update(`\0${dir}\0`);
    hash.update(await readFile(join(migrationsDir, dir, 'migration.sql'), 'utf8').catch(() => ''));
  }
  return hash.digest('hex');
}

async function withAdmin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A stable 63-bit advisory-lock key for a name. */
export function templateLockKey(name: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(name).digest('hex').slice(0, 16)}`)).toString();
}

async function databaseComment(client: pg.Client, name: string): Promise<string | null | undefined> {
  const r = await client.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
    [name],
  );
  return r.rows[0] === undefined ? undefined : r.rows[0].comment;
}

/**
 * Makes sure the template for the current migrations exists and is complete. Concurrent callers
 * serialise on an advisory lock; a half-built template (killed run) is dropped and rebuilt.
 */
export async function ensureTemplateDatabase(serverUrl: string, migrationsDir: string = DEFAULT_MIGRATIONS): Promise<string> {
  const template = templateDatabaseName(await migrationsHash(migrationsDir));
  await withAdmin(serverUrl, async (admin) => {
    if ((await databaseComment(admin, template))?.startsWith(READY)) return;
    await admin.query('SELECT pg_advisory_lock($1::bigint)', [templateLockKey(template)]);
    try {
      const comment = await databaseComment(admin, template);
      if (comment?.startsWith(READY)) return;
      if (comment !== undefined) await admin.query(`DROP DATABASE ${quoteIdent(template)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${quoteIdent(template)}`);
      await applyMigrations(withDatabase(serverUrl, template), { migrationsDir });
      await admin.query(`COMMENT ON DATABASE ${quoteIdent(template)} IS '${READY} ${new Date().toISOString()}'`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1::bigint)', [templateLockKey(template)]);
    }
  });
  return template;
}

/** Drops test databases older than an hour and templates of other migrations not used for an hour. */
export async function dropStaleDatabases(serverUrl: string, keepTemplate: string, now = new Date()): Promise<string[]> {
  return withAdmin(serverUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string; comment: string | null }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database
        WHERE datname LIKE $1 OR datname LIKE $2`,
      [`${TEST_DATABASE_PREFIX}%`, `${TEMPLATE_DATABASE_PREFIX}%`],
    );
    const stale = staleTestDatabases(rows.map((r) => r.datname), now);
    for (const r of rows) {
      if (!r.datname.startsWith(TEMPLATE_DATABASE_PREFIX) || r.datname === keepTemplate) continue;
      if (!r.comment?.startsWith(READY)) {
        // Half-built: abandoned unless a setup is building it right now (and so holds its lock).
        const { rows: locked } = await admin.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [templateLockKey(r.datname)]);
        if (locked[0]?.ok) {
          await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(r.datname)} WITH (FORCE)`).catch(() => {});
          await admin.query('SELECT pg_advisory_unlock($1::bigint)', [templateLockKey(r.datname)]);
        }
        continue;
      }
      const readyAt = Date.parse(r.comment.slice(READY.length + 1));
      if (Number.isFinite(readyAt) && now.getTime() - readyAt > OLD_TEMPLATE_MS) stale.push(r.datname);
    }
    const dropped: string[] = [];
    for (const name of stale) {
      // Without FORCE for templates (a long run elsewhere may still be cloning one); test
      // databases of killed runs may still hold dead connections, so FORCE those.
      const force = name.startsWith(TEST_DATABASE_PREFIX) ? ' WITH (FORCE)' : '';
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}${force}`);
        dropped.push(name);
      } catch {
        // in use: try again next run
      }
    }
    return dropped;
  });
}

/** Drops the test databases this run created that are still there (files killed mid-way). */
async function dropRunDatabases(serverUrl: string, runId: string): Promise<void> {
  await withAdmin(serverUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `${TEST_DATABASE_PREFIX}%\\_${runId}\\_%`,
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`).catch(() => {});
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const urls = resolveServiceUrls();
  const { databaseUrl, redisUrl } = await ensureServices({
    databaseUrl: urls.databaseUrl,
    redisUrl: urls.redisUrl,
    createDatabase: false,
    log: (m) => console.log(`[global-setup] ${m}`),
  });
  const template = await ensureTemplateDatabase(databaseUrl);
  await dropStaleDatabases(databaseUrl, template);
  const runId = newRunId();
  project.provide('fleetgateDatabaseServerUrl', withDatabase(databaseUrl, 'postgres'));
  project.provide('fleetgateTemplateDatabase', template);
  project.provide('fleetgateRedisUrl', redisUrl);
  project.provide('fleetgateRunId', runId);
  return async () => {
    await dropRunDatabases(databaseUrl, runId);
  };
}
