// Probes against a tiny HTTPS API server started here (its own CA): healthy with the right
// credentials; 401, TLS failures, and an unreachable server recorded as distinct statuses.
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bootApi, type TestApi } from './support/api-app.js';
import { b64, kubeconfigFor, startTinyApiServer, type TinyApiServer } from './support/clusters.fixtures.js';

let api: TestApi;
let tiny: TinyApiServer;
let other: TinyApiServer;

beforeAll(async () => {
  [api, tiny, other] = await Promise.all([bootApi(), startTinyApiServer({ gitVersion: 'v1.31.2' }), startTinyApiServer()]);
});
afterAll(async () => {
  await Promise.all([api?.close(), tiny?.close(), other?.close()]);
});

async function register(name: string, credentials: Record<string, unknown>) {
  const res = await api.as('admin').post('/api/v1/clusters').send({ name, role: 'seed', credentials });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

it('a kubeconfig cluster probes healthy and records version, latency and time', async () => {
  const c = await register('probe-ok', { kubeconfig: kubeconfigFor(tiny.url, tiny.tls.caPem, tiny.token) });
  const res = await api.as('operator').post(`/api/v1/clusters/${c.id}/probe`).send();
  expect(res.status).toBe(200);
  expect(res.body.health).toMatchObject({ status: 'healthy', kubernetesVersion: 'v1.31.2', lastError: null });
  expect(res.body.health.latencyMs).toBeGreaterThanOrEqual(0);
  expect(Date.parse(res.body.health.lastCheckedAt)).toBeGreaterThan(Date.now() - 60_000);
  expect(tiny.seen.at(-1)).toEqual({ path: '/version', authorized: true });
  const got = await api.as('viewer').get('/api/v1/clusters/probe-ok');
  expect(got.body.health).toEqual(res.body.health);
  const audit = await api.as('viewer').get('/api/v1/audit-events?subject=cluster/probe-ok&limit=1');
  expect(audit.body.items[0]).toMatchObject({ action: 'cluster.probe', actor: 'test-operator', summary: { status: 'healthy' } });
});

it('a token cluster (server + caData + token) probes healthy', async () => {
  await register('probe-token', { server: tiny.url, caData: b64(tiny.tls.caPem), token: tiny.token });
  const res = await api.as('admin').post('/api/v1/clusters/probe-token/probe').send();
  expect(res.body.health.status).toBe('healthy');
});

it('a wrong token is recorded as unauthorized', async () => {
  await register('probe-401', { server: tiny.url, caData: b64(tiny.tls.caPem), token: 'wrong-token' });
  const res = await api.as('operator').post('/api/v1/clusters/probe-401/probe').send();
  expect(res.status).toBe(200);
  expect(res.body.health).toMatchObject({ status: 'unauthorized', kubernetesVersion: null });
  expect(res.body.health.lastError).toMatch(/^unauthorized: /);
  expect(res.text).not.toContain('wrong-token');
});

it('a server certificate from another CA is a TLS error, not unreachable or 401', async () => {
  await register('probe-tls', { server: tiny.url, caData: b64(other.tls.caPem), token: tiny.token });
  const res = await api.as('operator').post('/api/v1/clusters/probe-tls/probe').send();
  expect(res.body.health.status).toBe('tls_error');
  expect(res.body.health.lastError).toMatch(/^tls: /);
  expect(tiny.seen.filter((s) => !s.authorized)).toHaveLength(1); // only the 401 case reached HTTP
});

it('insecureSkipTLSVerify (admin only, audited) skips the CA check', async () => {
  await register('probe-insecure', { server: tiny.url, token: tiny.token, insecureSkipTLSVerify: true });
  const res = await api.as('operator').post('/api/v1/clusters/probe-insecure/probe').send();
  expect(res.body.health.status).toBe('healthy');
  expect(res.body.insecureSkipTLSVerify).toBe(true);
  const audit = await api.as('viewer').get('/api/v1/audit-events?subject=cluster/probe-insecure');
  expect(audit.body.items.find((e: { action: string }) => e.action === 'cluster.register').summary.insecureSkipTLSVerify).toBe(true);
});

it('a closed port is recorded as unreachable', async () => {
  const port = await freePort();
  await register('probe-down', { server: `https://127.0.0.1:${port}`, caData: b64(tiny.tls.caPem), token: tiny.token });
  const res = await api.as('operator').post('/api/v1/clusters/probe-down/probe').send();
  expect(res.body.health.status).toBe('unreachable');
  expect(res.body.health.lastError).toMatch(/^unreachable: /);
});

it('the three failures carry three different statuses and messages', async () => {
  const list = await api.as('viewer').get('/api/v1/clusters?limit=100');
  const byName = new Map(list.body.items.map((c: { name: string; health: unknown }) => [c.name, c.health]));
  const failures = ['probe-401', 'probe-tls', 'probe-down'].map((n) => byName.get(n) as { status: string; lastError: string });
  expect(new Set(failures.map((f) => f.status)).size).toBe(3);
  expect(new Set(failures.map((f) => f.lastError)).size).toBe(3);
});

it('probing an unknown cluster is 404', async () => {
  const res = await api.as('operator').post('/api/v1/clusters/nope/probe').send();
  expect(res.status).toBe(404);
});
