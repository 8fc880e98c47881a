// /healthz, /readyz (Postgres + Redis), OpenAPI at /api/docs and /api/openapi.json.
import { createTestDatabase, testRedis } from '@fleetgate/testing';
import { loadConfig } from '@fleetgate/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiApp } from '../../apps/api/src/app.builder.js';
import { bootApi, testEnv, type TestApi } from './support/api-app.js';
import request from 'supertest';

let api: TestApi;
beforeAll(async () => {
  api = await bootApi();
});
afterAll(async () => api?.close());

it('healthz and readyz answer without a token', async () => {
  const h = await api.http().get('/healthz');
  expect(h.status).toBe(200);
  expect(h.body).toEqual({ status: 'ok' });
  const r = await api.http().get('/readyz');
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ status: 'ok', checks: { postgres: 'up', redis: 'up' } });
  expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

it('readyz is 503 problem+json naming what is down', async () => {
  const db = await createTestDatabase();
  const redis = await testRedis();
  const config = loadConfig(testEnv(db, { url: 'redis://127.0.0.1:1', prefix: redis.prefix }, { LOG_LEVEL: 'silent' }));
  const app = await createApiApp(config);
  try {
    const r = await request(app.getHttpServer()).get('/readyz');
    expect(r.status).toBe(503);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.body).toMatchObject({ status: 503, checks: { postgres: 'up', redis: 'down' }, detail: expect.stringContaining('redis') });
    expect((await request(app.getHttpServer()).get('/healthz')).status).toBe(200);
  } finally {
    await app.close();
    await db.drop();
    await redis.cleanup();
  }
});

it('serves the OpenAPI document and the docs UI', async () => {
  const doc = await api.http().get('/api/openapi.json');
  expect(doc.status).toBe(200);
  expect(doc.body.openapi).toMatch(/^3\./);
  expect(Object.keys(doc.body.paths)).toEqual(
    expect.arrayContaining(['/api/v1/audit-events', '/api/v1/clusters', '/api/v1/clusters/{ref}', '/api/v1/clusters/{ref}/probe', '/api/v1/tokens']),
  );
  expect(Object.keys(doc.body.paths).filter((p) => !p.startsWith('/api/v1/'))).toEqual([]);
  const post = doc.body.paths['/api/v1/clusters'].post;
  expect(post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['name', 'role', 'credentials']));
  expect(post.responses['201'].content['application/json'].schema.properties).toHaveProperty('credentialFingerprint');
  expect(JSON.stringify(post.responses['201'])).not.toContain('"token"');
  const ui = await api.http().get('/api/docs/');
  expect(ui.status).toBe(200);
  expect(ui.text).toContain('swagger');
});
