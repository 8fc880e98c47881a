// What every REST call promises a script: unknown query parameters are refused by name, bodies
// are JSON (415 otherwise), an unknown body field is named, and 401 says which scheme it wants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootApi, type TestApi } from './support/api-app.js';

let api: TestApi;
beforeAll(async () => {
  api = await bootApi();
});
afterAll(async () => api?.close());

interface Problem {
  status: number;
  title: string;
  detail: string;
  errors: { field: string; message: string }[];
}

describe('query parameters', () => {
  it.each([
    '/api/v1/drift/summary',
    '/api/v1/audit-events',
    '/api/v1/tokens',
    '/api/v1/clusters',
    '/api/v1/rollouts',
    '/api/v1/feature-gates',
    '/api/v1/bindings',
    '/api/v1/templates',
    '/api/v1/drift',
  ])('%s?foo=bar is a 400 naming foo', async (path) => {
    const res = await api.as('admin').get(`${path}?foo=bar`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((res.body as Problem).errors).toEqual([{ field: 'foo', message: expect.stringContaining('unknown query parameter') }]);
  });

  it('declared parameters still work', async () => {
    await api.as('admin').get('/api/v1/audit-events?limit=1').expect(200);
    await api.as('admin').get('/api/v1/drift/summary?labelSelector=env%3Dprod').expect(200);
    await api.as('admin').get('/api/v1/rollouts?status=running&limit=5').expect(200);
  });
});

describe('bodies', () => {
  it('a body that is not application/json is a 415 saying what is expected', async () => {
    const body = JSON.stringify({ name: 'ci', role: 'viewer' });
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'application/yaml']) {
      const res = await api.as('admin').post('/api/v1/tokens').set('Content-Type', type).send(body);
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((res.body as Problem).detail).toContain('application/json');
    }
    expect(await api.sql("SELECT 1 FROM api_tokens WHERE name = 'ci'")).toEqual([]);
    await api.as('admin').post('/api/v1/tokens').set('Content-Type', 'application/json; charset=utf-8').send(body).expect(201);
  });

  it('a misspelled field is named, not reported as (root)', async () => {
    const res = await api.as('admin').post('/api/v1/tokens').send({ name: 'typo', role: 'viewer', expiresInn: 5 });
    expect(res.status).toBe(400);
    expect((res.body as Problem).errors).toEqual([{ field: 'expiresInn', message: 'unknown field' }]);
    const nested = await api.as('admin').post('/api/v1/rollouts').send({ change: { kind: 'sync', extra: 1 } });
    expect((nested.body as Problem).errors).toEqual([{ field: 'change.extra', message: 'unknown field' }]);
  });
});

describe('401', () => {
  it('carries WWW-Authenticate: Bearer', async () => {
    const none = await api.as(null).get('/api/v1/clusters').expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="fleetgate"');
    const bad = await api.withToken('fg_wrong').get('/api/v1/clusters').expect(401);
    expect(bad.headers['www-authenticate']).toBe('Bearer realm="fleetgate", error="invalid_token"');
  });
});
