// Finds or starts Postgres and Redis for fleetgate (issue 2): DATABASE_URL / REDIS_URL when set,
// else the local defaults. When a service does not answer: `docker compose up -d --wait` if a
// Docker engine answers, else the locally installed pg_ctlcluster / redis-server, else stop with
// a message saying exactly what to install or which variable to set. Then creates the database.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ROOT } from './migrate.mjs';
import { pgConfigFromUrl, quoteIdent } from './schema-engine.mjs';

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/fleetgate';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export class ServiceError extends Error {
  name = 'ServiceError';
}

/** The URLs to use: the environment's when set and non-empty, else the defaults. */
export function resolveServiceUrls(env = process.env) {
  return {
    databaseUrl: env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL,
    redisUrl: env.REDIS_URL?.trim() || DEFAULT_REDIS_URL,
    databaseUrlFromEnv: Boolean(env.DATABASE_URL?.trim()),
    redisUrlFromEnv: Boolean(env.REDIS_URL?.trim()),
  };
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0']);

/** Host and port of a postgres:// or redis:// URL, and whether we could start it here. */
export function endpointOf(url, defaultPort) {
  const u = new URL(url);
  const host = u.hostname || '127.0.0.1';
  const port = u.port ? Number(u.port) : defaultPort;
  return { host, port, local: LOCAL_HOSTS.has(host) };
}

/** Password-free URL for messages. */
export function redactUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/**
 * Decides how to bring up the services that do not answer. Pure: all facts are passed in.
 * @param {{
 *   postgres: { reachable: boolean, url: string, fromEnv: boolean },
 *   redis: { reachable: boolean, url: string, fromEnv: boolean },
 *   docker: boolean,
 *   pgClusters: { version: string, cluster: string, port: number, online: boolean }[],
 *   hasPgCtlcluster: boolean,
 *   hasRedisServer: boolean,
 * }} facts
 * @returns {{ actions: ({ kind: 'compose', services: string[], env: Record<string, string> }
 *   | { kind: 'pg_ctlcluster', version: string, cluster: string }
 *   | { kind: 'redis-server', port: number })[] }}
 * @throws {ServiceError} with what to install or set
 */
export function planServices(facts) {
  const pgEnd = endpointOf(facts.postgres.url, 5432);
  const redisEnd = endpointOf(facts.redis.url, 6379);
  const missing = [];
  if (!facts.postgres.reachable) missing.push('postgres');
  if (!facts.redis.reachable) missing.push('redis');
  if (missing.length === 0) return { actions: [] };

  const problems = [];
  for (const name of missing) {
    const end = name === 'postgres' ? pgEnd : redisEnd;
    const svc = name === 'postgres' ? facts.postgres : facts.redis;
    const variable = name === 'postgres' ? 'DATABASE_URL' : 'REDIS_URL';
    if (!end.local) {
      problems.push(
        `${name === 'postgres' ? 'PostgreSQL' : 'Redis'} at ${end.host}:${end.port} (${variable}${svc.fromEnv ? '' : ' default'}) does not answer, ` +
          `and fleetgate only starts services on this machine: check that server or set ${variable} to one that answers.`,
      );
    }
  }
  if (problems.length) throw new ServiceError(problems.join('\n'));

  if (facts.docker) {
    return {
      actions: [
        {
          kind: 'compose',
          services: missing,
          env: { FLEETGATE_POSTGRES_PORT: String(pgEnd.port), FLEETGATE_REDIS_PORT: String(redisEnd.port) },
        },
      ],
    };
  }

  const actions = [];
  if (missing.includes('postgres')) {
    const cluster = facts.pgClusters.find((c) => c.port === pgEnd.port);
    if (facts.hasPgCtlcluster && cluster) {
      actions.push({ kind: 'pg_ctlcluster', version: cluster.version, cluster: cluster.cluster });
    } else if (facts.hasPgCtlcluster && facts.pgClusters.length > 0) {
      problems.push(
        `PostgreSQL does not answer on port ${pgEnd.port}, and no local cluster is configured for that port ` +
          `(pg_lsclusters: ${facts.pgClusters.map((c) => `${c.version}/${c.cluster} on ${c.port}`).join(', ')}). ` +
          `Set DATABASE_URL to postgresql://postgres@127.0.0.1:<port>/fleetgate for one of them.`,
      );
    } else {
      problems.push(
        'PostgreSQL does not answer at ' +
          `${pgEnd.host}:${pgEnd.port} and neither Docker nor a local PostgreSQL is available. ` +
          'Install Docker (with the compose plugin), or PostgreSQL 16 (Debian/Ubuntu: `apt-get install postgresql`), ' +
          'or set DATABASE_URL to a PostgreSQL server that answers.',
      );
    }
  }
  if (missing.includes('redis')) {
    if (facts.hasRedisServer) actions.push({ kind: 'redis-server', port: redisEnd.port });
    else {
      problems.push(
        `Redis does not answer at ${redisEnd.host}:${redisEnd.port} and neither Docker nor redis-server is available. ` +
          'Install Docker (with the compose plugin), or Redis 7 (Debian/Ubuntu: `apt-get install redis-server`), ' +
          'or set REDIS_URL to a Redis server that answers.',
      );
    }
  }
  if (problems.length) throw new ServiceError(problems.join('\n'));
  return { actions };
}

/** Parses `pg_lsclusters` output. */
export function parsePgLsclusters(text) {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && /^\d/.test(f[0] ?? ''))
    .map(([version, cluster, port, status]) => ({ version, cluster, port: Number(port), online: status === 'online' }));
}

// --- probes -------------------------------------------------------------------------------

/** Does a PostgreSQL server answer at this URL (any database)? Auth errors are fatal. */
export async function postgresAnswers(url, timeoutMs = 2000) {
  const client = new pg.Client({ ...pgConfigFromUrl(url), database: 'postgres', connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch (error) {
    if (['28P01', '28000'].includes(error?.code)) {
      throw new ServiceError(`PostgreSQL at ${redactUrl(url)} refused the credentials: ${error.message}. Fix DATABASE_URL.`);
    }
    // 3D000: the server answers, only the maintenance database is missing.
    return error?.code === '3D000';
  } finally {
    await client.end().catch(() => {});
  }
}

/** Does a Redis server answer PING at this URL? */
export async function redisAnswers(url, timeoutMs = 2000) {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch (error) {
    if (/NOAUTH|WRONGPASS|invalid password/i.test(String(error?.message))) {
      throw new ServiceError(`Redis at ${redactUrl(url)} refused the credentials: ${error.message}. Fix REDIS_URL.`);
    }
    return false;
  } finally {
    redis.disconnect();
  }
}

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** A Docker engine answers and the compose plugin is installed. */
function dockerComposeWorks() {
  if (!commandExists('docker')) return false;
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 15_000 }).status !== 0) return false;
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 15_000 }).status === 0;
}

function listPgClusters() {
  if (!commandExists('pg_lsclusters')) return [];
  const r = spawnSync('pg_lsclusters', [], { encoding: 'utf8' });
  return r.status === 0 ? parsePgLsclusters(r.stdout) : [];
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) {
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() || r.error?.message || '';
    throw new ServiceError(`\`${[cmd, ...args].join(' ')}\` failed (exit ${r.status}):\n${output}`);
  }
  return r.stdout;
}

async function waitFor(what, check, timeoutMs = 60_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new ServiceError(`${what} did not answer within ${timeoutMs / 1000}s after starting it.`);
}

/** Runs the plan's actions (side effects only; see planServices for the decisions). */
export async function executePlan(plan, { databaseUrl, redisUrl, log = console.log }) {
  for (const action of plan.actions) {
    if (action.kind === 'compose') {
      log(`Starting ${action.services.join(' and ')} with docker compose…`);
      run('docker', ['compose', '-f', join(ROOT, 'docker-compose.yml'), 'up', '-d', '--wait', ...action.services], {
        cwd: ROOT,
        env: { ...process.env, ...action.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } else if (action.kind === 'pg_ctlcluster') {
      log(`Starting the local PostgreSQL ${action.version}/${action.cluster} cluster (pg_ctlcluster)…`);
      run('pg_ctlcluster', ['--skip-systemctl-redirect', action.version, action.cluster, 'start']);
    } else if (action.kind === 'redis-server') {
      const dir = join(ROOT, '.fleetgate', 'redis');
      mkdirSync(dir, { recursive: true });
      log(`Starting a local redis-server on port ${action.port} (data in .fleetgate/redis)…`);
      run('redis-server', [
        '--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(action.port), '--dir', dir,
        '--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--logfile', join(dir, 'redis.log'),
        '--pidfile', join(dir, `redis-${action.port}.pid`),
      ]);
    }
  }
  if (plan.actions.length) {
    await Promise.all([
      waitFor('PostgreSQL', () => postgresAnswers(databaseUrl, 1000)),
      plan.actions.some((a) => a.kind === 'redis-server' || (a.kind === 'compose' && a.services.includes('redis')))
        ? waitFor('Redis', () => redisAnswers(redisUrl, 1000))
        : undefined,
    ]);
  }
}

/** Creates the URL's database when it does not exist (safe under concurrency). */
export async function ensureDatabase(databaseUrl) {
  const config = pgConfigFromUrl(databaseUrl);
  const client = new pg.Client({ ...config, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [config.database]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(config.database)}`);
      return true;
    } catch (error) {
      // 42P04 duplicate_database, 23505: a concurrent CREATE DATABASE won.
      if (error?.code === '42P04' || error?.code === '23505') return false;
      throw error;
    }
  } finally {
    await client.end();
  }
}

/**
 * Makes sure Postgres and Redis answer (starting them if needed) and the database exists.
 * @param {{ databaseUrl?: string, redisUrl?: string, log?: (msg: string) => void, createDatabase?: boolean,
 *   redis?: boolean }} [options] `redis: false` when only Postgres is needed (migrations)
 * @returns {Promise<{ databaseUrl: string, redisUrl: string, started: string[], databaseCreated: boolean }>}
 * @throws {ServiceError}
 */
export async function ensureServices(options = {}) {
  const env = resolveServiceUrls();
  const databaseUrl = options.databaseUrl ?? env.databaseUrl;
  const redisUrl = options.redisUrl ?? env.redisUrl;
  const log = options.log ?? ((m) => console.log(m));
  const wantRedis = options.redis !== false;
  const [pgUp, redisUp] = await Promise.all([postgresAnswers(databaseUrl), wantRedis ? redisAnswers(redisUrl) : true]);
  const facts = {
    postgres: { reachable: pgUp, url: databaseUrl, fromEnv: options.databaseUrl !== undefined || env.databaseUrlFromEnv },
    redis: { reachable: redisUp, url: redisUrl, fromEnv: options.redisUrl !== undefined || env.redisUrlFromEnv },
    docker: false,
    pgClusters: [],
    hasPgCtlcluster: false,
    hasRedisServer: false,
  };
  if (!pgUp || !redisUp) {
    facts.docker = dockerComposeWorks();
    facts.pgClusters = listPgClusters();
    facts.hasPgCtlcluster = commandExists('pg_ctlcluster');
    facts.hasRedisServer = commandExists('redis-server');
  }
  const plan = planServices(facts);
  await executePlan(plan, { databaseUrl, redisUrl, log });
  let databaseCreated = false;
  if (options.createDatabase !== false) {
    try {
      databaseCreated = await ensureDatabase(databaseUrl);
    } catch (error) {
      throw new ServiceError(`Could not create the database of ${redactUrl(databaseUrl)}: ${error.message}`);
    }
    if (databaseCreated) log(`Created database ${pgConfigFromUrl(databaseUrl).database}.`);
  }
  return {
    databaseUrl,
    redisUrl,
    started: plan.actions.flatMap((a) => (a.kind === 'compose' ? a.services : [a.kind === 'pg_ctlcluster' ? 'postgres' : 'redis'])),
    databaseCreated,
  };
}
