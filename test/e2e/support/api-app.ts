// Boots the API in-process for one test file: its own database (a clone of the migrated
// template), its own Redis prefix, config passed explicitly (never through process.env).
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type FleetgateConfig, type Role, TokenService, loadConfig, systemActor } from '@fleetgate/core';
import { createTestDatabase, testRedis } from '@fleetgate/testing';
import pg from 'pg';
import request from 'supertest';
import { createApiApp } from '../../../apps/api/src/app.builder.js';

export interface TestApi {
  app: NestExpressApplication;
  config: FleetgateConfig;
  databaseUrl: string;
  /** bearer tokens by role */
  tokens: Record<Role, string>;
  /** every log line the app wrote */
  logs: string[];
  http: () => ReturnType<typeof request>;
  /** supertest with `Authorization: Bearer <role token>` preset on the returned request */
  as: (role: Role | null) => {
    get: (url: string) => request.Test;
    post: (url: string) => request.Test;
    patch: (url: string) => request.Test;
    put: (url: string) => request.Test;
    delete: (url: string) => request.Test;
  };
  /** like `as`, with any bearer token (e.g. one a test created) */
  withToken: (token: string) => ReturnType<TestApi['as']>;
  gql: (role: Role | null, query: string, variables?: Record<string, unknown>) => Promise<GqlResult>;
  sql: <T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<T[]>;
  close: () => Promise<void>;
}

export interface GqlResult {
  status: number;
  data: Record<string, unknown> | null | undefined;
  errors: { message: string; path?: string[]; extensions: { code: string; errors: { field: string; message: string }[]; [k: string]: unknown } }[] | undefined;
}

export function randomKey(): string {
  return randomBytes(32).toString('base64');
}

export function testEnv(db: { url: string }, redis: { url: string; prefix: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    FLEETGATE_MASTER_KEY: randomKey(),
    FLEETGATE_ADMIN_TOKEN: `fg_test_admin_${randomBytes(16).toString('hex')}`,
    LOG_LEVEL: 'info',
    FLEETGATE_QUEUE_PREFIX: redis.prefix,
    FLEETGATE_CLUSTER_TIMEOUT_MS: '3000',
    // drift watches judge clusters on their own; the tests that are about them turn them on
    FLEETGATE_DRIFT_WATCH: 'off',
    ...extra,
  };
}

export async function bootApi(extraEnv: Record<string, string> = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  const redis = await testRedis();
  const env = testEnv(db, redis, extraEnv);
  const config = loadConfig(env);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const app = await createApiApp(config, { logStream });
  const tokenService = app.get(TokenService);
  await tokenService.bootstrapAdmin();
  const admin = env.FLEETGATE_ADMIN_TOKEN!;
  const system = systemActor('test');
  const viewer = (await tokenService.create(system, { name: 'test-viewer', role: 'viewer' })).token;
  const operator = (await tokenService.create(system, { name: 'test-operator', role: 'operator' })).token;
  const tokens: Record<Role, string> = { admin, operator, viewer };
  const server = app.getHttpServer();
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });

  const bearer = (t: request.Test, token: string | null) => (token ? t.set('Authorization', `Bearer ${token}`) : t);
  const auth = (t: request.Test, role: Role | null) => bearer(t, role ? tokens[role] : null);
  const withToken = (token: string | null) => ({
    get: (url: string) => bearer(request(server).get(url), token),
    post: (url: string) => bearer(request(server).post(url), token),
    patch: (url: string) => bearer(request(server).patch(url), token),
    put: (url: string) => bearer(request(server).put(url), token),
    delete: (url: string) => bearer(request(server).delete(url), token),
  });
  return {
    app,
    config,
    databaseUrl: db.url,
    tokens,
    logs,
    http: () => request(server),
    as: (role) => withToken(role ? tokens[role] : null),
    withToken,
    gql: async (role, query, variables) => {
      const res = await auth(request(server).post('/graphql'), role).send({ query, variables });
      const body = res.body as Omit<GqlResult, 'status'>;
      return { status: res.status, data: body.data, errors: body.errors };
    },
    sql: async (text, values) => (await pool.query(text, values)).rows,
    close: async () => {
      await app.close();
      await pool.end();
      await db.drop();
      await redis.cleanup();
    },
  };
}
