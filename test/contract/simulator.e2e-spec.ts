import http from 'node:http';
import https from 'node:https';
import { mkdtemp, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KubeClient, connectionFromKubeconfig } from '@fleetgate/kube';
import { generateFleet, loadSnapshot, registerFleet, startSimulator, type Simulator } from '@fleetgate/kube-sim';

// Simulator-only behaviour (not part of "a Kubernetes API server"): fleet, admin endpoint,
// kubeconfigs, snapshots, registration.
let sim: Simulator;

function call(method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(sim.url);
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request({ host: url.hostname, port: url.port, method, path, ca: sim.caPem, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

beforeAll(async () => {
  sim = await startSimulator({ clusters: generateFleet({ seeds: 2, usersPerSeed: 2, policiesPerCluster: 3 }) });
});
afterAll(async () => {
  await sim?.close();
});

describe('kube-sim', () => {
  it('serves every cluster under /clusters/<name> with its own token and a 401 Status otherwise', async () => {
    const ok = await call('GET', '/clusters/seed-01-user-01/api/v1/namespaces', sim.cluster('seed-01-user-01').token);
    expect(ok.status).toBe(200);
    const wrong = await call('GET', '/clusters/seed-01-user-01/api/v1/namespaces', sim.cluster('seed-02').token);
    expect(wrong).toEqual({ status: 401, json: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 } });
    expect((await call('GET', '/clusters/nope/version', 'x')).status).toBe(404);
  });

  it('serves discovery documents', async () => {
    const token = sim.cluster('seed-01').token;
    const groups = await call('GET', '/clusters/seed-01/apis', token);
    expect(groups.json).toMatchObject({ kind: 'APIGroupList', groups: [{ name: 'networking.k8s.io', preferredVersion: { groupVersion: 'networking.k8s.io/v1' } }, { name: 'apps', preferredVersion: { groupVersion: 'apps/v1' } }] });
    const res = await call('GET', '/clusters/seed-01/apis/networking.k8s.io/v1', token);
    expect(res.json).toMatchObject({ groupVersion: 'networking.k8s.io/v1', resources: [{ name: 'networkpolicies', namespaced: true, kind: 'NetworkPolicy' }] });
    const core = (await call('GET', '/clusters/seed-01/api/v1', token)).json as { resources: Array<{ name: string; namespaced: boolean; verbs: string[] }> };
    expect(core.resources.map((r) => `${r.name}:${r.namespaced}`)).toEqual(['namespaces:false', 'pods:true', 'services:true', 'endpoints:true']);
    expect(core.resources.every((r) => r.verbs.includes('watch'))).toBe(true);
    expect((await call('GET', '/clusters/seed-01/apis/apps/v1', token)).json).toMatchObject({ groupVersion: 'apps/v1', resources: [{ name: 'daemonsets', namespaced: true, kind: 'DaemonSet', shortNames: ['ds'] }] });
  });

  it('writes one kubeconfig per cluster and all.kubeconfig with a context per cluster', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-sim-kc-'));
    const out = await sim.writeKubeconfigs(dir);
    expect(Object.keys(out.files).sort()).toEqual(sim.clusters().map((c) => c.name).sort());
    const all = parse(await readFile(out.all, 'utf8')) as { contexts: { name: string }[] };
    expect(all.contexts.map((c) => c.name).sort()).toEqual(sim.clusters().map((c) => c.name).sort());
    const one = connectionFromKubeconfig(await readFile(out.files['seed-02'] as string, 'utf8'));
    expect(one.server).toBe(`${sim.url}/clusters/seed-02`);
    const client = new KubeClient(one);
    const ns = await client.listNamespaces();
    expect(ns.map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['garden', 'istio-system', 'kube-system', 'shoot--shop--seed-02-user-01']));
    client.close();
  });

  it('changes faults, rotates tokens and makes external edits through the admin endpoint', async () => {
    const admin = sim.adminToken;
    expect((await call('GET', '/admin/stats', 'wrong')).status).toBe(401);
    expect((await call('PUT', '/admin/clusters/seed-01-user-02/faults', admin, { latency: { kind: 'fixed', ms: 150 } })).json).toEqual({ latency: { kind: 'fixed', ms: 150 } });
    const client = new KubeClient(sim.connection('seed-01-user-02'));
    const t0 = Date.now();
    await client.version();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await call('PUT', '/admin/clusters/seed-01-user-02/faults', admin, { forbidWrites: true });
    await expect(client.deleteNetworkPolicy('frontend', 'policy-00')).rejects.toMatchObject({ kind: 'forbidden' });
    await call('DELETE', '/admin/clusters/seed-01-user-02/faults', admin);

    const edited = await call('POST', '/admin/clusters/seed-01-user-02/edit', admin, { action: 'modify', namespace: 'frontend', name: 'policy-00', patch: { spec: { podSelector: { matchLabels: { app: 'hacked' } } } } });
    expect(edited.status).toBe(200);
    const p = await client.getNetworkPolicy('frontend', 'policy-00');
    expect(p.spec?.podSelector).toEqual({ matchLabels: { app: 'hacked' } });
    expect(p.metadata.managedFields?.some((m) => m.manager === 'kubectl-edit' && m.operation === 'Update')).toBe(true);
    await call('POST', '/admin/clusters/seed-01-user-02/edit', admin, { action: 'delete', namespace: 'frontend', name: 'policy-00' });
    expect(await client.findNetworkPolicy('frontend', 'policy-00')).toBeUndefined();

    const rotated = await call('POST', '/admin/clusters/seed-01-user-02/rotate-token', admin);
    await expect(client.version()).rejects.toMatchObject({ kind: 'unauthorized' });
    const fresh = new KubeClient(connectionFromKubeconfig(rotated.json.kubeconfig as string));
    await expect(fresh.version()).resolves.toBeDefined();
    client.close();
    fresh.close();
    const stats = await call('GET', '/admin/stats', admin);
    expect(stats.json).toMatchObject({ clusters: 6 });
    expect(stats.json.rssBytes).toBeGreaterThan(0);
  });

  it('snapshots to a file and comes back with the same state, tokens and CA', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-sim-snap-'));
    sim.cluster('seed-02-user-01').externalEdit.add({ metadata: { name: 'manual', namespace: 'default' }, spec: { podSelector: {} } });
    await sim.saveSnapshot(join(dir, 'snap.json'));
    const snap = await loadSnapshot(join(dir, 'snap.json'));
    const again = await startSimulator({ snapshot: snap });
    try {
      const c = again.cluster('seed-02-user-01');
      expect(c.getNetworkPolicy('default', 'manual')).toEqual(sim.cluster('seed-02-user-01').getNetworkPolicy('default', 'manual'));
      expect(c.token).toBe(sim.cluster('seed-02-user-01').token);
      expect(again.clusters().map((x) => x.name)).toEqual(sim.clusters().map((x) => x.name));
      expect(c.listNetworkPolicies()).toEqual(sim.cluster('seed-02-user-01').listNetworkPolicies());
      // Same CA: a kubeconfig written before the reload still verifies (only the port moved).
      expect(again.caPem).toBe(sim.caPem);
      const old = connectionFromKubeconfig(sim.kubeconfig('seed-02-user-01'));
      const client = new KubeClient({ ...old, server: again.serverUrl('seed-02-user-01') });
      await expect(client.getNetworkPolicy('default', 'manual')).resolves.toMatchObject({ metadata: { name: 'manual' } });
      client.close();
    } finally {
      await again.close();
    }
  });

  it('registers the fleet in fleetgate: seeds first, retries while it starts, 409 counts as registered', async () => {
    const seen: Array<{ auth?: string; body: Record<string, unknown> }> = [];
    let unavailable = 1; // fleetgate still starting: the first POST gets 503 and is retried
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        const body = JSON.parse(text) as Record<string, unknown>;
        if (unavailable-- > 0) {
          res.writeHead(503).end();
          return;
        }
        seen.push({ auth: req.headers.authorization, body });
        const exists = body.name === 'seed-02';
        res.writeHead(req.url === '/api/v1/clusters' && req.method === 'POST' ? (exists ? 409 : 201) : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(exists ? { title: 'already exists' } : { id: body.name }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await registerFleet(sim, { url, token: 'api-token', retryForMs: 10_000 });
      expect(result.existing).toEqual(['seed-02']);
      expect(result.created).toHaveLength(5);
      const roles = seen.map((s) => s.body.role);
      expect(roles.slice(0, 2)).toEqual(['seed', 'seed']);
      expect(seen.every((s) => s.auth === 'Bearer api-token')).toBe(true);
      const user = seen.find((s) => s.body.name === 'seed-01-user-01')?.body;
      expect(user).toMatchObject({ role: 'user', seed: 'seed-01', controlPlaneNamespace: 'cluster-seed-01-user-01', networks: { pods: expect.any(String), services: expect.any(String), nodes: expect.any(String) } });
      expect(connectionFromKubeconfig((user?.credentials as { kubeconfig: string }).kubeconfig).server).toBe(`${sim.url}/clusters/seed-01-user-01`);
      const seed = seen.find((s) => s.body.name === 'seed-01')?.body;
      expect(seed).toMatchObject({ role: 'seed', blockedCIDRs: ['169.254.169.254/32'] });
      expect(seed).not.toHaveProperty('seed');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('sends watch bookmarks at the configured interval and compacts the event window on demand (admin test hooks)', async () => {
    const admin = sim.adminToken;
    const name = 'seed-01-user-02';
    const token = sim.cluster(name).token;
    const cfg = await call('PATCH', `/admin/clusters/${name}/watch`, admin, { bookmarkIntervalMs: 50, window: 10 });
    expect(cfg.json).toMatchObject({ bookmarkIntervalMs: 50, window: 10, watches: 0 });
    const url = new URL(sim.url);
    const lines: Array<{ type: string; object: { kind: string; apiVersion: string; metadata: Record<string, unknown> } }> = [];
    const req = https.get({ host: url.hostname, port: url.port, path: `/clusters/${name}/api/v1/namespaces/kube-system/pods?watch=1&allowWatchBookmarks=true&resourceVersion=${sim.cluster(name).resourceVersion}`, ca: sim.caPem, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let buf = '';
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          lines.push(JSON.parse(buf.slice(0, nl)) as (typeof lines)[number]);
          buf = buf.slice(nl + 1);
        }
      });
    });
    try {
      for (let i = 0; i < 100 && lines.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(lines[0]).toEqual({ type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: sim.cluster(name).resourceVersion } } });
      expect((await call('GET', `/admin/clusters/${name}/watch`, admin)).json).toMatchObject({ watches: 1 });
    } finally {
      req.destroy();
    }
    const before = sim.cluster(name).resourceVersion;
    sim.cluster(name).ensureNamespace({ name: 'compact-me' });
    expect((await call('POST', `/admin/clusters/${name}/compact`, admin)).status).toBe(200);
    expect(sim.cluster(name).watch(sim.cluster(name).kinds.namespace, { resourceVersion: before }, () => {})).toEqual({ expired: `too old resource version: ${before} (${sim.cluster(name).resourceVersion})` });
  });
});
