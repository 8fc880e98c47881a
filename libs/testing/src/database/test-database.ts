import pg from 'pg';
import { provided } from '../harness/provided.js';
import { newRunId, quoteIdent, testDatabaseName, withDatabase } from './database-names.js';

export interface TestDatabase {
  /** Connection URL of the new database (a copy of the migrated template). */
  url: string;
  name: string;
  /**
   * Drops the database. Waits (up to 10 s) for the sessions that are still closing — pools end
   * asynchronously — and only then forces out what is left, so a pool that is shutting down is
   * never killed mid-close (its client would surface 57P01 as an uncaught error). Idempotent.
   */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Default: provided by the global setup. */
  serverUrl?: string;
  /** Default: provided by the global setup. */
  templateDatabase?: string;
  /** Default: provided by the global setup. */
  runId?: string;
}

/** pg settings for the server's maintenance database. */
function adminConfig(serverUrl: string): pg.ClientConfig {
  return { connectionString: withDatabase(serverUrl, 'postgres'), connectionTimeoutMillis: 10_000 };
}

/** Runs one statement on the server's maintenance database. */
export async function adminQuery(serverUrl: string, sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client(adminConfig(serverUrl));
  client.on('error', () => {});
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

/** Polls pg_stat_activity until no other session is connected to `database`, or the deadline. */
async function waitForSessionsToClose(serverUrl: string, database: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client(adminConfig(serverUrl));
  client.on('error', () => {});
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 10; Date.now() < deadline; delay = Math.min(delay * 2, 250)) {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database],
      );
      if ((rows[0]?.n ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, delay));
    }
  } finally {
    await client.end();
  }
}

/** SQLSTATE 55006: "source database … is being accessed by other users" (the clone can retry). */
const OBJECT_IN_USE = '55006';

/**
 * A database of its own for one test file: `CREATE DATABASE … TEMPLATE <migrated template>`, so
 * it starts with the full schema and no data. Call `drop()` in `afterAll`.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? (await provided('fleetgateDatabaseServerUrl'));
  const template = options.templateDatabase ?? (await provided('fleetgateTemplateDatabase'));
  const runId = options.runId ?? (await provided('fleetgateRunId').catch(() => newRunId()));
  const name = testDatabaseName(runId);
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(serverUrl, `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
      break;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== OBJECT_IN_USE || attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
  let dropped = false;
  return {
    url: withDatabase(serverUrl, name),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await waitForSessionsToClose(serverUrl, name, 10_000);
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    },
  };
}
