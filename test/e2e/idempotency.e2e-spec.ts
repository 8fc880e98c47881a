// Idempotency-Key on every POST: replay returns the first response, another body is 422, a
// request still in flight is 409, and stored responses (e.g. a new token) are encrypted at rest.
import { IdempotencyService } from '@fleetgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootApi, type TestApi } from './support/api-app.js';
import { seedBody } from './support/clusters.fixtures.js';

let api: TestApi;
beforeAll(async () => {
  api = await bootApi();
});
afterAll(async () => api?.close());

const count = async (sql: string) => Number((await api.sql<{ n: string }>(sql))[0]?.n);

describe('POST /clusters', () => {
  it('a replay returns the first response and registers nothing twice', async () => {
    const body = seedBody({ name: 'idem-1' });
    const first = await api.as('admin').post('/api/v1/clusters').set('Idempotency-Key', 'key-1').send(body);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await api.as('admin').post('/api/v1/clusters').set('Idempotency-Key', 'key-1').send(body);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await count("SELECT count(*) AS n FROM clusters WHERE name = 'idem-1'")).toBe(1);
    expect(await count("SELECT count(*) AS n FROM audit_events WHERE subject = 'cluster/idem-1'")).toBe(1);
    // without the key the same body is a new request (and the name is taken)
    expect((await api.as('admin').post('/api/v1/clusters').send(body)).status).toBe(409);
  });

  it('the same key with another body is 422 problem+json', async () => {
    const res = await api.as('admin').post('/api/v1/clusters').set('Idempotency-Key', 'key-1').send(seedBody({ name: 'idem-other' }));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 422, errors: [{ field: 'Idempotency-Key', message: expect.any(String) }] });
    expect(await count("SELECT count(*) AS n FROM clusters WHERE name = 'idem-other'")).toBe(0);
  });

  it('keys are per caller: another token may use the same key', async () => {
    const created = await api.as('admin').post('/api/v1/tokens').send({ name: 'second-admin', role: 'admin' });
    const res = await api
      .http()
      .post('/api/v1/clusters')
      .set('Authorization', `Bearer ${created.body.token}`)
      .set('Idempotency-Key', 'key-1')
      .send(seedBody({ name: 'idem-2' }));
    expect(res.status).toBe(201);
  });

  it('a request that failed releases its key, so a corrected retry goes through', async () => {
    const bad = await api.as('admin').post('/api/v1/clusters').set('Idempotency-Key', 'key-fail').send(seedBody({ name: 'BAD' }));
    expect(bad.status).toBe(400);
    const good = await api.as('admin').post('/api/v1/clusters').set('Idempotency-Key', 'key-fail').send(seedBody({ name: 'idem-3' }));
    expect(good.status).toBe(201);
  });

  it('a request with the same key still in flight is 409', async () => {
    const [admin] = await api.sql<{ id: string }>("SELECT id FROM api_tokens WHERE name = 'admin'");
    const body = seedBody({ name: 'idem-4' });
    const start = await api.app.get(IdempotencyService).begin(
      { id: admin!.id, name: 'admin', role: 'admin' },
      { key: 'key-busy', method: 'POST', path: '/api/v1/clusters', body },
    );
    expect(start.kind).toBe('new');
    const res = await api.as('admin').post('/api/v1/clusters').set('Idempotency-Key', 'key-busy').send(body);
    expect(res.status).toBe(409);
    expect(res.body.title).toBe('Request in progress');
  });

  it('applies to probe too (another POST)', async () => {
    const first = await api.as('operator').post('/api/v1/clusters/idem-1/probe').set('Idempotency-Key', 'probe-1').send();
    expect(first.status).toBe(200);
    const again = await api.as('operator').post('/api/v1/clusters/idem-1/probe').set('Idempotency-Key', 'probe-1').send();
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await count("SELECT count(*) AS n FROM audit_events WHERE subject = 'cluster/idem-1' AND action = 'cluster.probe'")).toBe(1);
  });
});

describe('POST /tokens', () => {
  it('a replay shows the same token again, but the stored response is encrypted', async () => {
    const first = await api.as('admin').post('/api/v1/tokens').set('Idempotency-Key', 'tok-1').send({ name: 'replayed', role: 'viewer' });
    expect(first.status).toBe(201);
    const again = await api.as('admin').post('/api/v1/tokens').set('Idempotency-Key', 'tok-1').send({ name: 'replayed', role: 'viewer' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await count("SELECT count(*) AS n FROM api_tokens WHERE name = 'replayed'")).toBe(1);
    const stored = (await api.sql('SELECT row_to_json(r)::text AS j FROM idempotency_records r')).map((r) => String(r.j)).join('\n');
    expect(stored).toContain('tok-1');
    expect(stored).not.toContain(first.body.token);
    expect(stored).not.toContain(Buffer.from(first.body.token).toString('base64'));
    const [row] = await api.sql<{ response_ciphertext: string }>("SELECT response_ciphertext FROM idempotency_records WHERE key = 'tok-1'");
    expect(row?.response_ciphertext).toMatch(/^v1\./);
  });

  it('rejects a malformed key with 400', async () => {
    const res = await api.as('admin').post('/api/v1/tokens').set('Idempotency-Key', 'x'.repeat(300)).send({ name: 'long', role: 'viewer' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('Idempotency-Key');
  });
});
