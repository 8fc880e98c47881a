// Input Postgres cannot take or the API cannot parse is a 4xx problem+json, never a 500: NUL
// bytes in paths, filters and JSON strings, non-UUID rollout ids, versions past int32, a
// 100,000-deep body with an Idempotency-Key, and JSON scalars.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, bootApi } from './support/api-app.js';
import { seedBody } from './support/clusters.fixtures.js';

let api: TestApi;
beforeAll(async () => {
  api = await bootApi();
});
afterAll(async () => api?.close());

const problem = (res: { status: number; headers: Record<string, string> }, statuses: number[]) => {
  expect(statuses).toContain(res.status);
  expect(res.headers['content-type']).toContain('application/problem+json');
};

describe('bad input is 4xx', () => {
  it('a NUL byte in a path segment or a query filter', async () => {
    for (const url of ['/api/v1/clusters/%00', '/api/v1/templates/%00', '/api/v1/audit-events?actor=%00', '/api/v1/clusters?seed=a%00b', '/api/v1/rollouts?cluster=%00']) {
      problem(await api.as('admin').get(url), [400, 404]);
    }
  });

  it('a NUL byte inside a JSON string, and nothing is written', async () => {
    const res = await api.as('admin').post('/api/v1/clusters').send(seedBody({ name: 'nul-1', labels: { env: 'a\u0000b' } }));
    problem(res, [400]);
    const gate = await api.as('admin').post('/api/v1/feature-gates').send({ key: 'nulGate', description: 'a\u0000b', default: false });
    problem(gate, [400]);
    expect(await api.sql("SELECT 1 FROM clusters WHERE name = 'nul-1'")).toHaveLength(0);
  });

  it('a non-UUID rollout id on the POST actions is 404, like GET', async () => {
    for (const action of ['pause', 'resume', 'cancel', 'approve', 'rollback']) {
      problem(await api.as('operator').post(`/api/v1/rollouts/not-a-uuid/${action}`).send({}), [404]);
    }
  });

  it('a template version above int32', async () => {
    problem(await api.as('viewer').get('/api/v1/templates/x/versions/2147483648'), [400, 404]);
  });

  it('a 100,000-deep JSON body, with and without an Idempotency-Key', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const key of [undefined, 'deep-1']) {
      const req = api.as('admin').post('/api/v1/clusters').set('Content-Type', 'application/json');
      if (key) req.set('Idempotency-Key', key);
      problem(await req.send(deep), [400]);
    }
  });

  it('JSON scalars are JSON: the schema says what is wrong with them', async () => {
    for (const body of ['1', 'null', '"x"', 'true']) {
      const res = await api.as('admin').post('/api/v1/clusters').set('Content-Type', 'application/json').send(body);
      problem(res, [400]);
      expect(JSON.stringify(res.body)).not.toMatch(/not valid JSON/);
    }
    const broken = await api.as('admin').post('/api/v1/clusters').set('Content-Type', 'application/json').send('{"a":');
    problem(broken, [400]);
  });
});
