import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  ServiceError,
  endpointOf,
  parsePgLsclusters,
  planServices,
  redactUrl,
  resolveServiceUrls,
  type ServiceFacts,
} from './services.mjs';

const facts = (over: Partial<ServiceFacts> = {}): ServiceFacts => ({
  postgres: { reachable: true, url: DEFAULT_DATABASE_URL, fromEnv: false },
  redis: { reachable: true, url: DEFAULT_REDIS_URL, fromEnv: false },
  docker: false,
  pgClusters: [],
  hasPgCtlcluster: false,
  hasRedisServer: false,
  ...over,
});
const pgDown = { reachable: false, url: DEFAULT_DATABASE_URL, fromEnv: false };
const redisDown = { reachable: false, url: DEFAULT_REDIS_URL, fromEnv: false };
const cluster15 = { version: '15', cluster: 'main', port: 5432, online: false };

describe('resolveServiceUrls', () => {
  it('uses DATABASE_URL and REDIS_URL when set', () => {
    expect(resolveServiceUrls({ DATABASE_URL: 'postgresql://u@db:5433/x', REDIS_URL: 'redis://r:6380' })).toEqual({
      databaseUrl: 'postgresql://u@db:5433/x',
      redisUrl: 'redis://r:6380',
      databaseUrlFromEnv: true,
      redisUrlFromEnv: true,
    });
  });

  it('falls back to the local defaults when unset or blank', () => {
    expect(resolveServiceUrls({ DATABASE_URL: '  ' })).toEqual({
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/fleetgate',
      redisUrl: 'redis://127.0.0.1:6379',
      databaseUrlFromEnv: false,
      redisUrlFromEnv: false,
    });
  });
});

describe('planServices', () => {
  it('does nothing when both answer, whatever is installed', () => {
    expect(planServices(facts({ docker: true, hasPgCtlcluster: true, hasRedisServer: true }))).toEqual({ actions: [] });
  });

  it('prefers docker compose for exactly the services that do not answer, on the URLs\' ports', () => {
    const plan = planServices(
      facts({
        postgres: { ...pgDown, url: 'postgresql://postgres@localhost:5544/fleetgate' },
        docker: true,
        hasPgCtlcluster: true,
        hasRedisServer: true,
        pgClusters: [cluster15],
      }),
    );
    expect(plan).toEqual({
      actions: [{ kind: 'compose', services: ['postgres'], env: { FLEETGATE_POSTGRES_PORT: '5544', FLEETGATE_REDIS_PORT: '6379' } }],
    });
  });

  it('starts the local cluster on the URL\'s port and redis-server without Docker', () => {
    const plan = planServices(
      facts({
        postgres: pgDown,
        redis: { ...redisDown, url: 'redis://127.0.0.1:6390' },
        hasPgCtlcluster: true,
        hasRedisServer: true,
        pgClusters: [{ ...cluster15, cluster: 'other', port: 5433 }, cluster15],
      }),
    );
    expect(plan.actions).toEqual([
      { kind: 'pg_ctlcluster', version: '15', cluster: 'main' },
      { kind: 'redis-server', port: 6390 },
    ]);
  });

  it('says which variable to set when no local cluster serves the port', () => {
    expect(() =>
      planServices(facts({ postgres: { ...pgDown, url: 'postgresql://postgres@127.0.0.1:6000/f' }, hasPgCtlcluster: true, pgClusters: [cluster15] })),
    ).toThrow(/no local cluster is configured for that port.*15\/main on 5432.*Set DATABASE_URL/s);
  });

  it('says what to install when nothing can start Postgres', () => {
    const attempt = () => planServices(facts({ postgres: pgDown }));
    expect(attempt).toThrow(ServiceError);
    expect(attempt).toThrow(/apt-get install postgresql.*or set DATABASE_URL/s);
  });

  it('says what to install when nothing can start Redis, and reports both problems at once', () => {
    const attempt = () => planServices(facts({ postgres: pgDown, redis: redisDown }));
    expect(attempt).toThrow(/PostgreSQL does not answer[\s\S]*Redis does not answer.*apt-get install redis-server.*or set REDIS_URL/);
  });

  it('never tries to start a remote server: it names the variable to check instead', () => {
    const attempt = () =>
      planServices(
        facts({ redis: { reachable: false, url: 'redis://cache.internal:6379', fromEnv: true }, docker: true, hasRedisServer: true }),
      );
    expect(attempt).toThrow(/Redis at cache\.internal:6379 \(REDIS_URL\) does not answer.*set REDIS_URL/);
  });
});

describe('helpers', () => {
  it('parses pg_lsclusters output', () => {
    const text =
      'Ver Cluster Port Status Owner    Data directory              Log file\n' +
      '15  main    5432 online postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log\n' +
      '16  test    5433 down   postgres /var/lib/postgresql/16/test /var/log/postgresql/postgresql-16-test.log\n';
    expect(parsePgLsclusters(text)).toEqual([
      { version: '15', cluster: 'main', port: 5432, online: true },
      { version: '16', cluster: 'test', port: 5433, online: false },
    ]);
  });

  it('finds host, port and locality of a URL', () => {
    expect(endpointOf('postgresql://postgres@127.0.0.1/fleetgate', 5432)).toEqual({ host: '127.0.0.1', port: 5432, local: true });
    expect(endpointOf('redis://localhost:6390', 6379)).toEqual({ host: 'localhost', port: 6390, local: true });
    expect(endpointOf('redis://[::1]:6390', 6379).local).toBe(true);
    expect(endpointOf('postgresql://db.example.com:6543/x', 5432)).toEqual({ host: 'db.example.com', port: 6543, local: false });
  });

  it('keeps passwords out of messages', () => {
    expect(redactUrl('postgresql://app:s3cret@db:5432/x')).toBe('postgresql://app:***@db:5432/x');
    expect(redactUrl('redis://:s3cret@r:6379')).not.toContain('s3cret');
  });
});
