// Names of the databases the test harness creates on the shared server. The creation time is in
// the name so that databases left behind by killed runs can be recognised and dropped later.

export const TEST_DATABASE_PREFIX = 'fleetgate_test_';
export const TEMPLATE_DATABASE_PREFIX = 'fleetgate_tpl_';

/** Databases left by killed runs are dropped once they are older than this. */
export const STALE_AFTER_MS = 60 * 60 * 1000;

const TIME_RADIX = 36;

function randomSuffix(length: number): string {
  let out = '';
  while (out.length < length) out += Math.random().toString(36).slice(2);
  return out.slice(0, length);
}

/** `fleetgate_test_<time base36>_<run id>_<random>` (lower case, at most 63 bytes). */
export function testDatabaseName(runId: string, now: Date = new Date()): string {
  if (!/^[a-z0-9]{1,12}$/.test(runId)) throw new Error(`Invalid test run id ${JSON.stringify(runId)}`);
  return `${TEST_DATABASE_PREFIX}${now.getTime().toString(TIME_RADIX)}_${runId}_${randomSuffix(8)}`;
}

/** When a test database was created, from its name; null for names that are not ours. */
export function testDatabaseCreatedAt(name: string): Date | null {
  const m = /^fleetgate_test_([0-9a-z]+)_[0-9a-z]+_[0-9a-z]+$/.exec(name);
  if (!m?.[1]) return null;
  const ms = parseInt(m[1], TIME_RADIX);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

/** Test databases (by name) that are older than `staleAfterMs`. */
export function staleTestDatabases(names: readonly string[], now: Date = new Date(), staleAfterMs = STALE_AFTER_MS): string[] {
  return names.filter((name) => {
    const created = testDatabaseCreatedAt(name);
    return created !== null && now.getTime() - created.getTime() > staleAfterMs;
  });
}

/** A fresh id for one run of a global setup. */
export function newRunId(): string {
  return randomSuffix(6);
}

/** The template database for a migrations hash (first 16 hex characters are plenty). */
export function templateDatabaseName(migrationsHash: string): string {
  if (!/^[0-9a-f]{16,}$/.test(migrationsHash)) throw new Error('migrationsHash must be hex');
  return `${TEMPLATE_DATABASE_PREFIX}${migrationsHash.slice(0, 16)}`;
}

/** A postgres identifier, quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The same server URL with another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}
