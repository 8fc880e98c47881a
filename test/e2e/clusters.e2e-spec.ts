// The cluster registry over REST: registration with a kubeconfig and with a token, secrets never
// leaving the server (responses, audit log, database), seeds and user clusters, validation,
// label selectors and cursor pagination.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootApi, type TestApi } from './support/api-app.js';
import { b64, kubeconfigFor, seedBody } from './support/clusters.fixtures.js';

let api: TestApi;
const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const KUBECONFIG_TOKEN = 'kubeconfig-secret-token-7f3a9c1e5b';
const BEARER_TOKEN = 'bearer-secret-token-0d4e8b2a6c';

beforeAll(async () => {
  api = await bootApi();
});
afterAll(async () => api?.close());

/** Every text the server ever produced or stored about clusters, to search for secrets. */
async function everythingStored(): Promise<string> {
  const tables = ['clusters', 'audit_events', 'idempotency_records', 'api_tokens'];
  const dumps = await Promise.all(tables.map((t) => api.sql(`SELECT row_to_json(x)::text AS j FROM ${t} x`)));
  return dumps.flat().map((r) => String(r.j)).join('\n');
}

describe('registration', () => {
  it('registers a seed from a kubeconfig: 201 with the server and a fingerprint, never the credentials', async () => {
    const kubeconfig = kubeconfigFor('https://seed-eu1.example:6443', CA_PEM, KUBECONFIG_TOKEN, 'seed-eu1');
    const res = await api
      .as('admin')
      .post('/api/v1/clusters')
      .send({
        name: 'seed-eu1',
        role: 'seed',
        labels: { env: 'prod', tier: 'gold' },
        credentials: { kubeconfig },
        networks: { pods: '10.244.0.0/16', services: '10.96.0.0/12', nodes: '10.0.0.0/24' },
        blockedCIDRs: ['169.254.169.254/32'],
      });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(
      ['id', 'name', 'role', 'seed', 'server', 'credentialFingerprint', 'insecureSkipTLSVerify', 'labels', 'networks', 'blockedCIDRs', 'controlPlaneNamespace', 'health', 'watch', 'networkPolicyEnforcement', 'createdAt', 'updatedAt'].sort(),
    );
    expect(res.body).toMatchObject({
      name: 'seed-eu1',
      role: 'seed',
      // nobody watches it: watches are off in these tests
      watch: 'off',
      seed: null,
      server: 'https://seed-eu1.example:6443',
      labels: { env: 'prod', tier: 'gold' },
      networks: { pods: '10.244.0.0/16', services: '10.96.0.0/12', nodes: '10.0.0.0/24' },
      blockedCIDRs: ['169.254.169.254/32'],
      controlPlaneNamespace: null,
      health: { status: 'unknown', kubernetesVersion: null, latencyMs: null, lastCheckedAt: null, lastError: null },
    });
    expect(res.body.credentialFingerprint).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(res.text).not.toContain(KUBECONFIG_TOKEN);
    expect(res.text).not.toContain('certificate-authority-data');
  });

  it('registers a user cluster with server + CA + token; controlPlaneNamespace defaults to cluster-<name>', async () => {
    const res = await api
      .as('admin')
      .post('/api/v1/clusters')
      .send({
        name: 'u1',
        role: 'user',
        seed: 'seed-eu1',
        labels: { env: 'prod' },
        credentials: { server: 'https://u1.example:6443', caData: b64(CA_PEM), token: BEARER_TOKEN, insecureSkipTLSVerify: false },
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'u1', role: 'user', seed: 'seed-eu1', server: 'https://u1.example:6443', controlPlaneNamespace: 'cluster-u1', blockedCIDRs: [] });
    expect(res.text).not.toContain(BEARER_TOKEN);
    const explicit = await api
      .as('admin')
      .post('/api/v1/clusters')
      .send({ name: 'u2', role: 'user', seed: 'seed-eu1', controlPlaneNamespace: 'shoot--proj--u2', credentials: { server: 'https://u2.example', token: 'x-token-u2' } });
    expect(explicit.status).toBe(201);
    expect(explicit.body.controlPlaneNamespace).toBe('shoot--proj--u2');
  });

  it('gets a cluster by id and by name, and never returns credentials from any endpoint', async () => {
    const byName = await api.as('viewer').get('/api/v1/clusters/u1');
    expect(byName.status).toBe(200);
    const byId = await api.as('viewer').get(`/api/v1/clusters/${byName.body.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(byName.body);
    const list = await api.as('viewer').get('/api/v1/clusters');
    const gql = await api.gql('viewer', '{ clusters { edges { node { name server credentialFingerprint seed { name } userClusters { name } } } } }');
    for (const text of [byName.text, list.text, JSON.stringify(gql)]) {
      expect(text).not.toContain(BEARER_TOKEN);
      expect(text).not.toContain(KUBECONFIG_TOKEN);
    }
  });

  it('keeps secrets out of the audit log and out of the database in plaintext', async () => {
    const audit = await api.as('viewer').get('/api/v1/audit-events?subject=cluster/u1');
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({ actor: 'admin', action: 'cluster.register', subject: 'cluster/u1' });
    expect(audit.body.items[0].summary).toMatchObject({ name: 'u1', role: 'user', seed: 'seed-eu1', credentialsKind: 'token' });
    expect(audit.body.items[0].requestId).toEqual(expect.any(String));
    const stored = await everythingStored();
    expect(stored).toContain('u1');
    for (const secret of [BEARER_TOKEN, KUBECONFIG_TOKEN, b64(KUBECONFIG_TOKEN), b64(CA_PEM), 'MIIBfake', api.tokens.admin, api.tokens.viewer]) {
      expect(stored).not.toContain(secret);
    }
    const [row] = await api.sql<{ credential_ciphertext: string; credential_key_id: string }>(
      "SELECT credential_ciphertext, credential_key_id FROM clusters WHERE name = 'u1'",
    );
    expect(row?.credential_ciphertext).toMatch(/^v1\.[A-Za-z0-9+/=]+$/);
    expect(row?.credential_key_id).toMatch(/^k[0-9a-f]{16}$/);
  });

  it('records the request id of the mutation in its audit event', async () => {
    const res = await api.as('admin').post('/api/v1/clusters').set('X-Request-Id', 'req-test-1234').send(seedBody({ name: 'seed-rid' }));
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('req-test-1234');
    const audit = await api.as('viewer').get('/api/v1/audit-events?subject=cluster/seed-rid');
    expect(audit.body.items[0].requestId).toBe('req-test-1234');
  });

  it('rejects a second cluster with the same name (409 on the name field)', async () => {
    const res = await api.as('admin').post('/api/v1/clusters').send(seedBody({ name: 'seed-eu1' }));
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([{ field: 'name', message: expect.stringContaining('already exists') }]);
  });
});

describe('validation answers 400 problem+json with the bad fields, never 500', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['bad name', seedBody({ name: 'Not_A_Label' }), ['name']],
    ['bad role', seedBody({ role: 'king' }), ['role']],
    ['bad CIDR', seedBody({ networks: { pods: '10.244.0.0/33' } }), ['networks.pods']],
    ['host bits in CIDR', seedBody({ blockedCIDRs: ['10.0.0.1/8'] }), ['blockedCIDRs.0']],
    ['no credentials', seedBody({ credentials: undefined }), ['credentials']],
    ['server without token', seedBody({ credentials: { server: 'https://x.example' } }), ['credentials.token']],
    ['http server', seedBody({ credentials: { server: 'http://x.example', token: 't' } }), ['credentials.server']],
    ['kubeconfig and token', seedBody({ credentials: { kubeconfig: 'x', token: 't' } }), ['credentials.token']],
    ['garbage kubeconfig', seedBody({ credentials: { kubeconfig: 'just: [a, list' } }), ['credentials.kubeconfig']],
    ['bad label key', seedBody({ labels: { 'bad key!': 'v' } }), ['labels.bad key!']],
    ['unknown field', seedBody({ colour: 'blue' }), ['colour']],
    ['user without seed', seedBody({ role: 'user', blockedCIDRs: [] }), ['seed']],
    ['user with blocked CIDRs', seedBody({ role: 'user', seed: 'seed-eu1' }), ['blockedCIDRs']],
    ['seed of a seed', seedBody({ seed: 'seed-eu1' }), ['seed']],
    ['unknown seed', seedBody({ role: 'user', seed: 'nope', blockedCIDRs: [] }), ['seed']],
    ['user cluster as seed', seedBody({ role: 'user', seed: 'u1', blockedCIDRs: [] }), ['seed']],
  ];
  it.each(cases)('%s', async (_title, body, fields) => {
    const res = await api.as('admin').post('/api/v1/clusters').send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: expect.any(String), title: 'Validation failed', status: 400, detail: expect.any(String) });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(fields));
    for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
  });

  it('answers malformed JSON, unknown routes and bad page sizes in the same format', async () => {
    const bad = await api.as('admin').post('/api/v1/clusters').set('Content-Type', 'application/json').send('{"name": ');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const big = await api.as('admin').post('/api/v1/clusters').send(seedBody({ labels: { x: 'y' }, credentials: { kubeconfig: 'a'.repeat(3_000_000) } }));
    expect(big.status).toBe(413);
    expect(big.headers['content-type']).toContain('application/problem+json');
    const largeButFine = await api.as('admin').post('/api/v1/clusters').send(seedBody({ credentials: { kubeconfig: `# ${'a'.repeat(300_000)}\n` } }));
    expect(largeButFine.status).toBe(400);
    expect(largeButFine.body.errors[0].field).toBe('credentials.kubeconfig');
    const unknown = await api.as('viewer').get('/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, title: 'Not found', errors: [] });
    const missing = await api.as('viewer').get('/api/v1/clusters/no-such-cluster');
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain('no-such-cluster');
    const limit = await api.as('viewer').get('/api/v1/clusters?limit=1000');
    expect(limit.status).toBe(400);
    expect(limit.body.errors).toEqual([{ field: 'limit', message: expect.stringContaining('100') }]);
    const cursor = await api.as('viewer').get('/api/v1/clusters?cursor=%%%garbage');
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors[0].field).toBe('cursor');
  });
});

describe('update and delete', () => {
  it('patches labels and networks, audits what changed, and rejects immutable fields', async () => {
    const res = await api.as('admin').patch('/api/v1/clusters/u2').send({ labels: { env: 'staging', team: 'a' }, networks: { pods: '10.1.0.0/16' } });
    expect(res.status).toBe(200);
    expect(res.body.labels).toEqual({ env: 'staging', team: 'a' });
    expect(res.body.networks).toEqual({ pods: '10.1.0.0/16', services: null, nodes: null });
    const audit = await api.as('viewer').get('/api/v1/audit-events?subject=cluster/u2');
    expect(audit.body.items[0]).toMatchObject({ action: 'cluster.update', summary: { changed: ['labels', 'networks'] } });
    const immutable = await api.as('admin').patch('/api/v1/clusters/u2').send({ name: 'u3' });
    expect(immutable.status).toBe(400);
  });

  it('replacing credentials changes the fingerprint and keeps the new token secret', async () => {
    const before = await api.as('viewer').get('/api/v1/clusters/u2');
    const res = await api.as('admin').patch('/api/v1/clusters/u2').send({ credentials: { server: 'https://u2-new.example', token: 'rotated-secret-token-99' } });
    expect(res.status).toBe(200);
    expect(res.body.server).toBe('https://u2-new.example');
    expect(res.body.credentialFingerprint).not.toBe(before.body.credentialFingerprint);
    expect(await everythingStored()).not.toContain('rotated-secret-token-99');
  });

  it('refuses to delete a seed that still hosts user clusters: 409 with their names', async () => {
    const res = await api.as('admin').delete('/api/v1/clusters/seed-eu1');
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.userClusters).toEqual(['u1', 'u2']);
    expect(res.body.detail).toContain('u1, u2');
    expect((await api.as('viewer').get('/api/v1/clusters/seed-eu1')).status).toBe(200);
  });

  it('deletes user clusters, then the seed; the audit log keeps every deletion', async () => {
    expect((await api.as('admin').delete('/api/v1/clusters/u1')).status).toBe(204);
    const u2 = await api.as('viewer').get('/api/v1/clusters/u2');
    expect((await api.as('admin').delete(`/api/v1/clusters/${u2.body.id}`)).status).toBe(204);
    expect((await api.as('admin').delete('/api/v1/clusters/seed-eu1')).status).toBe(204);
    expect((await api.as('viewer').get('/api/v1/clusters/seed-eu1')).status).toBe(404);
    const audit = await api.as('viewer').get('/api/v1/audit-events?actor=admin&limit=3');
    expect(audit.body.items.map((e: { action: string; subject: string }) => `${e.action} ${e.subject}`)).toEqual([
      'cluster.delete cluster/seed-eu1',
      'cluster.delete cluster/u2',
      'cluster.delete cluster/u1',
    ]);
  });
});

describe('label selectors and pagination', () => {
  beforeAll(async () => {
    const fleet: [string, Record<string, string>][] = [
      ['sel-a', { env: 'prod', tier: 'gold' }],
      ['sel-b', { env: 'prod', tier: 'silver', legacy: 'true' }],
      ['sel-c', { env: 'prod', tier: 'bronze' }],
      ['sel-d', { env: 'dev', tier: 'gold', size: '5' }],
      ['sel-e', { env: 'dev', size: '12' }],
      ['sel-f', {}],
    ];
    for (const [name, labels] of fleet) {
      const res = await api.as('admin').post('/api/v1/clusters').send(seedBody({ name, labels }));
      expect(res.status).toBe(201);
    }
  });

  const names = async (selector: string) => {
    const res = await api.as('viewer').get(`/api/v1/clusters?limit=100&labelSelector=${encodeURIComponent(selector)}`);
    expect(res.status).toBe(200);
    return res.body.items.map((c: { name: string }) => c.name).filter((n: string) => n.startsWith('sel-'));
  };

  it.each([
    ['env=prod,tier in (gold,silver),!legacy', ['sel-a']],
    ['env=prod', ['sel-a', 'sel-b', 'sel-c']],
    ['env!=prod', ['sel-d', 'sel-e', 'sel-f']],
    ['tier notin (gold)', ['sel-b', 'sel-c', 'sel-e', 'sel-f']],
    ['tier', ['sel-a', 'sel-b', 'sel-c', 'sel-d']],
    ['!tier', ['sel-e', 'sel-f']],
    ['size>6', ['sel-e']],
    ['size<6', ['sel-d']],
    ['env==dev,size', ['sel-d', 'sel-e']],
    ['', ['sel-a', 'sel-b', 'sel-c', 'sel-d', 'sel-e', 'sel-f']],
  ])('%s', async (selector, expected) => {
    expect(await names(selector)).toEqual(expected);
  });

  it.each(['=prod', 'tier in (gold', 'env=prod,,', '!', 'a b', 'size>x'])('malformed selector %j is a 400 pointing at labelSelector', async (selector) => {
    const res = await api.as('viewer').get(`/api/v1/clusters?labelSelector=${encodeURIComponent(selector)}`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].field).toBe('labelSelector');
  });

  it('filters by role and seed', async () => {
    const seeds = await api.as('viewer').get('/api/v1/clusters?role=seed&limit=100');
    expect(seeds.body.items.every((c: { role: string }) => c.role === 'seed')).toBe(true);
    const users = await api.as('viewer').get('/api/v1/clusters?role=user');
    expect(users.body.items).toEqual([]);
    const badRole = await api.as('viewer').get('/api/v1/clusters?role=king');
    expect(badRole.status).toBe(400);
    expect(badRole.body.errors[0].field).toBe('role');
  });

  it('pages through everything with limit and cursor, without gaps or repeats', async () => {
    const all = (await api.as('viewer').get('/api/v1/clusters?limit=100')).body.items.map((c: { name: string }) => c.name);
    expect(all.length).toBeGreaterThanOrEqual(6);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/clusters?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await api.as('viewer').get(url);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((c: { name: string }) => c.name));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));
    expect([...seen].sort()).toEqual(seen);
  });

  it('pages with a selector applied', async () => {
    const selector = encodeURIComponent('env=prod,tier');
    const first = await api.as('viewer').get(`/api/v1/clusters?limit=2&labelSelector=${selector}`);
    expect(first.body.items.map((c: { name: string }) => c.name)).toEqual(['sel-a', 'sel-b']);
    const second = await api.as('viewer').get(`/api/v1/clusters?limit=2&labelSelector=${selector}&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((c: { name: string }) => c.name)).toEqual(['sel-c']);
    expect(second.body.nextCursor).toBeNull();
  });
});
