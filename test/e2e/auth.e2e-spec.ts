// Bearer tokens and roles: 401 without a valid token, 403 below the role, for every mutation,
// over REST and GraphQL alike; tokens are shown once and stored hashed; logs never carry them.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootApi, type TestApi } from './support/api-app.js';
import { seedBody } from './support/clusters.fixtures.js';

let api: TestApi;
beforeAll(async () => {
  api = await bootApi();
  const seed = await api.as('admin').post('/api/v1/clusters').send(seedBody({ name: 'auth-seed' }));
  expect(seed.status).toBe(201);
});
afterAll(async () => api?.close());

type Role = 'viewer' | 'operator' | 'admin';
interface RestMutation {
  title: string;
  least: Role;
  send: (as: ReturnType<TestApi['as']>) => Promise<{ status: number; body: { status?: number; title?: string } }>;
}

const restMutations: RestMutation[] = [
  { title: 'POST /clusters', least: 'admin', send: (as) => as.post('/api/v1/clusters').send(seedBody()) },
  { title: 'PATCH /clusters/{id}', least: 'admin', send: (as) => as.patch('/api/v1/clusters/auth-seed').send({ labels: { a: 'b' } }) },
  { title: 'DELETE /clusters/{id}', least: 'admin', send: (as) => as.delete('/api/v1/clusters/no-such-one') },
  { title: 'POST /clusters/{id}/probe', least: 'operator', send: (as) => as.post('/api/v1/clusters/no-such-one/probe').send({}) },
  { title: 'POST /tokens', least: 'admin', send: (as) => as.post('/api/v1/tokens').send({ name: `t-${Math.random().toString(36).slice(2, 8)}`, role: 'viewer' }) },
  { title: 'DELETE /tokens/{id}', least: 'admin', send: (as) => as.delete('/api/v1/tokens/no-such-token') },
];
const order: Role[] = ['viewer', 'operator', 'admin'];

describe('REST', () => {
  describe.each(restMutations)('$title', (m) => {
    it('401 without a token and with an unknown token', async () => {
      const none = await m.send(api.as(null));
      expect(none.status).toBe(401);
      expect(none.body).toMatchObject({ status: 401, title: 'Unauthenticated' });
      const wrong = await m.send(api.withToken('fg_not-a-real-token'));
      expect(wrong.status).toBe(401);
    });

    it.each(order)('as %s', async (role) => {
      const res = await m.send(api.as(role));
      if (order.indexOf(role) < order.indexOf(m.least)) {
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ status: 403, title: 'Forbidden' });
      } else {
        expect([200, 201, 204, 404]).toContain(res.status);
      }
    });
  });

  it('reads need a token but any role', async () => {
    expect((await api.as(null).get('/api/v1/clusters')).status).toBe(401);
    expect((await api.as(null).get('/api/v1/audit-events')).status).toBe(401);
    for (const role of order) expect((await api.as(role).get('/api/v1/clusters')).status).toBe(200);
    expect((await api.as('viewer').get('/api/v1/tokens')).status).toBe(403);
  });
});

describe('GraphQL', () => {
  const gqlMutations: { title: string; least: Role; query: string }[] = [
    { title: 'registerCluster', least: 'admin', query: `mutation { registerCluster(input: {name: "gq-${Date.now()}", role: seed, credentials: {server: "https://x.example", token: "t"}}) { id } }` },
    { title: 'updateCluster', least: 'admin', query: 'mutation { updateCluster(name: "auth-seed", input: {labels: [{key: "x", value: "y"}]}) { id } }' },
    { title: 'deleteCluster', least: 'admin', query: 'mutation { deleteCluster(name: "no-such-one") { id } }' },
    { title: 'probeCluster', least: 'operator', query: 'mutation { probeCluster(name: "no-such-one") { id } }' },
    { title: 'createToken', least: 'admin', query: 'mutation { createToken(input: {name: "gql-made", role: viewer}) { token } }' },
  ];
  describe.each(gqlMutations)('$title', (m) => {
    it('UNAUTHENTICATED without a token', async () => {
      const r = await api.gql(null, m.query);
      expect(r.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect(r.errors?.[0]?.extensions.errors).toEqual([]);
    });
    it.each(order)('as %s', async (role) => {
      const r = await api.gql(role, m.query);
      const code = r.errors?.[0]?.extensions.code;
      if (order.indexOf(role) < order.indexOf(m.least)) expect(code).toBe('FORBIDDEN');
      else expect([undefined, 'NOT_FOUND']).toContain(code);
    });
  });

  it('queries need a token', async () => {
    const r = await api.gql(null, '{ clusters { edges { node { name } } } }');
    expect(r.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const ok = await api.gql('viewer', '{ auditEvents(first: 1) { edges { node { action } } } }');
    expect(ok.errors).toBeUndefined();
  });
});

describe('tokens', () => {
  it('creates a token that is shown once, stored as its SHA-256, and works with its role', async () => {
    const res = await api.as('admin').post('/api/v1/tokens').send({ name: 'ci', role: 'operator' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'name', 'role', 'token']);
    expect(res.body).toMatchObject({ name: 'ci', role: 'operator', token: expect.stringMatching(/^fg_[A-Za-z0-9_-]{40,}$/) });
    const token: string = res.body.token;
    const rows = await api.sql<{ token_hash: string; prefix: string }>("SELECT token_hash, prefix FROM api_tokens WHERE name = 'ci'");
    expect(rows[0]?.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    const everything = (await api.sql('SELECT row_to_json(t)::text AS j FROM api_tokens t')).map((r) => String(r.j)).join();
    expect(everything).not.toContain(token);
    expect((await api.sql("SELECT last_used_at FROM api_tokens WHERE name = 'ci'"))[0]?.last_used_at).toBeNull();
    expect((await api.withToken(token).get('/api/v1/clusters')).status).toBe(200);
    expect((await api.sql("SELECT last_used_at FROM api_tokens WHERE name = 'ci'"))[0]?.last_used_at).toBeInstanceOf(Date);
    const list = await api.as('admin').get('/api/v1/tokens');
    expect(list.text).not.toContain(token);
    expect(list.body.items.find((t: { name: string }) => t.name === 'ci')).toMatchObject({ role: 'operator', createdBy: 'admin' });
    // operator may probe, not register
    const reg = await api.http().post('/api/v1/clusters').set('Authorization', `Bearer ${token}`).send(seedBody());
    expect(reg.status).toBe(403);
    const audit = await api.as('viewer').get('/api/v1/audit-events?subject=token/ci');
    expect(audit.body.items[0]).toMatchObject({ action: 'token.create', actor: 'admin', summary: { name: 'ci', role: 'operator' } });
    expect(audit.text).not.toContain(token);
  });

  it('revokes tokens: a revoked token is 401 at once; the last admin token is kept', async () => {
    const created = await api.as('admin').post('/api/v1/tokens').send({ name: 'short-lived', role: 'viewer' });
    expect((await api.withToken(created.body.token).get('/api/v1/clusters')).status).toBe(200);
    expect((await api.as('operator').delete('/api/v1/tokens/short-lived')).status).toBe(403);
    expect((await api.as('admin').delete('/api/v1/tokens/short-lived')).status).toBe(204);
    expect((await api.withToken(created.body.token).get('/api/v1/clusters')).status).toBe(401);
    expect((await api.as('admin').delete(`/api/v1/tokens/${created.body.id}`)).status).toBe(204); // idempotent
    expect((await api.as('admin').delete('/api/v1/tokens/never-was')).status).toBe(404);
    const list = await api.as('admin').get('/api/v1/tokens');
    expect(list.body.items.find((t: { name: string }) => t.name === 'short-lived').revokedAt).toEqual(expect.any(String));
    const audit = await api.as('viewer').get('/api/v1/audit-events?subject=token/short-lived');
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['token.revoke', 'token.create']);
    const activeAdmins = list.body.items.filter((t: { role: string; revokedAt: string | null }) => t.role === 'admin' && !t.revokedAt);
    for (const t of activeAdmins.filter((t: { name: string }) => t.name !== 'admin')) {
      expect((await api.as('admin').delete(`/api/v1/tokens/${t.name}`)).status).toBe(204);
    }
    const last = await api.as('admin').delete('/api/v1/tokens/admin');
    expect(last.status).toBe(409);
    expect(last.body.detail).toContain('last active admin');
    expect((await api.as('admin').get('/api/v1/clusters')).status).toBe(200);
  });

  it('rejects bad token requests with field errors and duplicate names with 409', async () => {
    const bad = await api.as('admin').post('/api/v1/tokens').send({ name: 'x', role: 'god' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['role']);
    const dup = await api.as('admin').post('/api/v1/tokens').send({ name: 'ci', role: 'viewer' });
    expect(dup.status).toBe(409);
  });

  it('GraphQL createToken returns the token once, with field errors in extensions', async () => {
    const ok = await api.gql('admin', 'mutation { createToken(input: {name: "portal", role: viewer}) { id name role token } }');
    expect(ok.errors).toBeUndefined();
    expect((ok.data?.createToken as { token: string }).token).toMatch(/^fg_/);
    const bad = await api.gql('admin', 'mutation { createToken(input: {name: "Bad Name", role: viewer}) { id } }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ field: 'name', message: expect.any(String) }] });
  });
});

it('never logs the Authorization header or a token', async () => {
  await api.as('admin').get('/api/v1/clusters');
  await api.gql('admin', '{ clusters { edges { node { name } } } }');
  const text = api.logs.join('');
  expect(text).toContain('/api/v1/clusters'); // request logs are written
  for (const role of order) expect(text).not.toContain(api.tokens[role]);
  expect(text.toLowerCase()).not.toContain('authorization');
  expect(text.toLowerCase()).not.toContain('bearer');
});
