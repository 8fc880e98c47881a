import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError, KubeClient, KubeClientCache, connectionFromKubeconfig, kubeconfigFromConnection, withRetry, type ClusterConnection } from '@fleetgate/kube';
import { generateTls, startSimulator, type Simulator } from '@fleetgate/kube-sim';

// libs/kube (fleetgate's only cluster client) against the simulator over real HTTPS.
let sim: Simulator;
let otherCaPem: string;
const clients: KubeClient[] = [];
const client = (conn: ClusterConnection, opts: ConstructorParameters<typeof KubeClient>[1] = {}) => {
  const c = new KubeClient(conn, opts);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  sim = await startSimulator({ clusters: [{ name: 'alpha', gitVersion: 'v1.31.4' }, { name: 'beta' }, { name: 'gamma', ownPort: true }] });
  otherCaPem = (await generateTls({ commonName: 'someone-else' })).caPem;
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sim?.close();
});

describe('KubeClient over HTTPS', () => {
  it('connects with the kubeconfig the simulator writes, verifying its CA', async () => {
    const c = client(connectionFromKubeconfig(sim.kubeconfig('alpha')));
    await expect(c.version()).resolves.toMatchObject({ major: '1', minor: '31', gitVersion: 'v1.31.4' });
    expect((await c.listNamespaces()).map((n) => n.metadata.name)).toContain('kube-system');
  });

  it('fails TLS against a wrong CA and a wrong server name, and never falls back', async () => {
    const wrongCa = client({ ...sim.connection('alpha'), caData: Buffer.from(otherCaPem).toString('base64') });
    const e1 = await wrongCa.version().catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(KubeApiError);
    expect(e1).toMatchObject({ kind: 'tls', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', retryable: false });
    const noCa = client({ ...sim.connection('alpha'), caData: undefined });
    await expect(noCa.version()).rejects.toMatchObject({ kind: 'tls' });
    const wrongName = client({ ...sim.connection('alpha'), tlsServerName: 'kubernetes.example.com' });
    await expect(wrongName.version()).rejects.toMatchObject({ kind: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('gets 401 after the cluster rotates its token, and works with the new kubeconfig', async () => {
    const before = sim.connection('beta');
    const old = client(before);
    await old.version();
    sim.cluster('beta').rotateToken();
    const err = await old.version().then(() => { throw new Error("expected a failure"); }, (e: unknown) => e as KubeApiError);
    expect(err).toMatchObject({ kind: 'unauthorized', status: 401, retryable: false });
    expect(JSON.stringify(err)).not.toContain(before.token as string);
    await expect(client(connectionFromKubeconfig(sim.kubeconfig('beta'))).version()).resolves.toBeDefined();
  });

  it('authenticates with a client certificate from a kubeconfig, until credentials rotate', async () => {
    const certConn = await sim.clientCertConnection('beta');
    const viaKubeconfig = connectionFromKubeconfig(kubeconfigFromConnection(certConn, 'beta-cert'));
    expect(viaKubeconfig.token).toBeUndefined();
    const c = client(viaKubeconfig);
    await expect(c.listNamespaces()).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ metadata: expect.objectContaining({ name: 'default' }) })]));
    // A certificate issued for another cluster is not accepted here.
    const other = await sim.clientCertConnection('alpha');
    await expect(client({ ...other, server: sim.serverUrl('beta') }).version()).rejects.toMatchObject({ kind: 'unauthorized' });
    sim.cluster('beta').rotateToken();
    await expect(client(viaKubeconfig).version()).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
  });

  it('times out a request the cluster never answers', async () => {
    sim.cluster('alpha').faults = { hang: true };
    const c = client(sim.connection('alpha'), { timeoutMs: 400 });
    const t0 = Date.now();
    await expect(c.version()).rejects.toMatchObject({ kind: 'timeout', retryable: true });
    expect(Date.now() - t0).toBeLessThan(3000);
    sim.cluster('alpha').clearFaults();
    await expect(c.version()).resolves.toBeDefined();
  });

  it('honours 429 Retry-After in the retry helper', async () => {
    sim.cluster('alpha').faults = { throttleRate: 1, retryAfterSeconds: 1 };
    const c = client(sim.connection('alpha'));
    const first = await c.version().then(() => { throw new Error("expected a failure"); }, (e: unknown) => e as KubeApiError);
    expect(first).toMatchObject({ kind: 'throttled', status: 429, retryAfterMs: 1000, retryable: true });
    const waits: number[] = [];
    setTimeout(() => sim.cluster('alpha').clearFaults(), 300);
    const t0 = Date.now();
    await withRetry(() => c.version(), { onRetry: (_e, _n, ms) => waits.push(ms) });
    expect(waits[0]).toBe(1000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('classifies 5xx, connection resets and forbidden writes', async () => {
    const c = client(sim.connection('alpha'));
    sim.cluster('alpha').faults = { errorRate: 1, errorStatus: 503 };
    await expect(c.version()).rejects.toMatchObject({ kind: 'server', status: 503, retryable: true });
    sim.cluster('alpha').faults = { reset: true };
    await expect(c.version()).rejects.toMatchObject({ kind: 'connection-reset', retryable: true });
    sim.cluster('alpha').faults = { forbidWrites: true };
    await c.listNetworkPolicies();
    const err = await c.applyNetworkPolicy({ metadata: { name: 'x', namespace: 'default' }, spec: { podSelector: {} } }, { fieldManager: 'fleetgate' }).then(() => { throw new Error("expected a failure"); }, (e: unknown) => e as KubeApiError);
    expect(err).toMatchObject({ kind: 'forbidden', status: 403, retryable: false });
    expect(err.message).toContain('cannot patch resource "networkpolicies" in API group "networking.k8s.io" in the namespace "default"');
    sim.cluster('alpha').clearFaults();
  });

  it('gets connection refused from a cluster that is down, and reconnects when it is back', async () => {
    const c = client(sim.connection('gamma'));
    await c.version();
    sim.cluster('gamma').faults = { down: true };
    await new Promise((r) => setTimeout(r, 50));
    const err = await c.version().then(() => { throw new Error("expected a failure"); }, (e: unknown) => e as KubeApiError);
    expect(err).toMatchObject({ kind: 'unreachable', code: 'ECONNREFUSED', retryable: true });
    sim.cluster('gamma').clearFaults();
    await new Promise((r) => setTimeout(r, 50));
    await expect(c.version()).resolves.toBeDefined();
  });

  it('tells a DNS failure apart from a refused connection', async () => {
    const c = client({ ...sim.connection('alpha'), server: 'https://no-such-cluster.invalid:6443' });
    const err = await c.version().then(() => { throw new Error("expected a failure"); }, (e: unknown) => e as KubeApiError);
    expect(err.kind).toBe('unreachable');
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(err.code);
  });

  it('applies, lists with continue, and deletes NetworkPolicies with dry-run', async () => {
    const c = client(sim.connection('beta'), { pageSize: 2 });
    for (let i = 0; i < 5; i++) {
      await c.applyNetworkPolicy(
        { metadata: { name: `p${i}`, namespace: 'default', labels: { 'app.kubernetes.io/managed-by': 'fleetgate' } }, spec: { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { a: 'b' } } }] }] } },
        { fieldManager: 'fleetgate', force: true },
      );
    }
    const listed = await c.listNetworkPolicies({ labelSelector: 'app.kubernetes.io/managed-by=fleetgate' });
    expect(listed.map((p) => p.metadata.name)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    // `from` survives the round trip through client-node's models.
    expect(listed[0]?.spec?.ingress?.[0]?.from).toEqual([{ podSelector: { matchLabels: { a: 'b' } } }]);
    const created = await c.createNetworkPolicy({ metadata: { name: 'made', namespace: 'default' }, spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] } });
    expect(created.spec?.ingress?.[0]?.from).toEqual([{ namespaceSelector: {} }]);
    await c.deleteNetworkPolicy('default', 'p0', { dryRun: true });
    expect(await c.findNetworkPolicy('default', 'p0')).toBeDefined();
    await c.deleteNetworkPolicy('default', 'p0');
    expect(await c.findNetworkPolicy('default', 'p0')).toBeUndefined();
  });

  it('keeps one pooled keep-alive connection per cluster for sequential calls', async () => {
    const c = client(sim.connection('beta'), { maxSockets: 2 });
    const before = sim.requests;
    await Promise.all(Array.from({ length: 20 }, () => c.version()));
    expect(sim.requests - before).toBe(20);
    const agent = (c as unknown as { transport: { agent: { freeSockets: Record<string, unknown[]> } } }).transport.agent;
    const free = Object.values(agent.freeSockets).reduce((n, l) => n + l.length, 0);
    expect(free).toBeGreaterThan(0);
    expect(free).toBeLessThanOrEqual(2);
  });

  it('shares warm connections between clusters behind one endpoint, keeps them per cluster otherwise', async () => {
    const cache = new KubeClientCache({ maxSockets: 1 });
    try {
      const before = sim.tlsConnections;
      // alpha and beta share the simulator's listener (same origin, CA and identity): one handshake.
      for (const name of ['alpha', 'beta', 'alpha', 'beta']) await cache.open(name, 'v1', sim.connection(name)).version();
      expect(sim.tlsConnections - before).toBe(1);
      // gamma has an endpoint of its own: a handshake of its own, once.
      const gamma = cache.open('gamma', 'v1', sim.connection('gamma'));
      await gamma.version();
      await gamma.version();
      expect(sim.tlsConnections - before).toBe(2);
      // a rotated token is a new client over the same warm socket; tokens travel per request
      sim.cluster('beta').rotateToken();
      const stale = cache.get('beta', 'v1');
      await expect(stale?.version()).rejects.toMatchObject({ kind: 'unauthorized' });
      await expect(cache.open('beta', 'v2', sim.connection('beta')).version()).resolves.toMatchObject({ major: '1' });
      expect(sim.tlsConnections - before).toBe(2);
    } finally {
      cache.closeAll();
    }
  });
});
