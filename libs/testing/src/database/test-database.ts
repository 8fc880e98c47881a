import pg from 'pg';
import { provided } from '../harness/provided.js';
import { newRunId, quoteIdent, testDatabaseName, withDatabase } from './database-names.js';

export interface TestDatabase {
  /** Connection URL of the new database (a copy of the migrated template). */
  url: string;
  name: string;
  /** Drops the database, closing any connection still open to it. Idempotent. */
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
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    },
  };
}
