// Inventory and Gardener's service-driven policies: Services, pods and namespaces created in a
// simulated seed over HTTPS, an inventory scan through the API, the derived policies reconciled by
// the worker (a sync rollout through the one applier), then judged by libs/netpol's reachability
// engine fed the live policies and the inventory; removing the annotations prunes what they derived.
import { request as httpsRequest } from 'node:https';
import type { INestApplicationContext } from '@nestjs/common';
import { type Simulator, startSimulator } from '@fleetgate/kube-sim';
import { type ClusterModel, type NetworkPolicy, isAllowed } from '@fleetgate/netpol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../../apps/worker/src/worker.builder.js';
import { type TestApi, bootApi } from './support/api-app.js';
import { registerSimCluster, simClient, until } from './support/drift.fixtures.js';

let api: TestApi;
let sim: Simulator;
let worker: INestApplicationContext;

const SEED = 'svcpol-seed';
const NET = 'networking.resources.gardener.cloud/';

beforeAll(async () => {
  [api, sim] = await Promise.all([bootApi({ FLEETGATE_DRIFT_INTERVAL_SECONDS: '0', FLEETGATE_PROBE_INTERVAL_SECONDS: '0' }), startSimulator()]);
  worker = await createWorker({ ...api.config, logLevel: 'silent' });
  await registerSimCluster(api, sim, { name: SEED, role: 'seed', namespaces: ['garden', 'extension-x'], featureGates: { gardenerServicePolicies: true } });
  const c = sim.cluster(SEED);
  c.ensureNamespace({ name: 'shoot--p--a', labels: { 'gardener.cloud/role': 'shoot' } });
  c.ensureNamespace({ name: 'custom', labels: { 'networking.gardener.cloud/access-target-apiserver': 'allowed' } });
});
afterAll(async () => {
  await worker?.close();
  await Promise.all([api?.close(), sim?.close()]);
});

/** A request to the simulated API server, as any Kubernetes client sends it. */
function kube(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: unknown }> {
  const conn = sim.connection(SEED);
  const url = new URL(conn.server.replace(/\/+$/, '') + path);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { method, ca: Buffer.from(conn.caData, 'base64'), headers: { authorization: `Bearer ${conn.token}`, 'content-type': contentType, accept: 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : null }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

async function applyService(namespace: string, name: string, selector: Record<string, string>, port: number, annotations: Record<string, string>): Promise<void> {
  const res = await kube('PATCH', `/api/v1/namespaces/${namespace}/services/${name}?fieldManager=e2e&force=true`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, annotations },
    spec: { selector, ports: [{ name: 'main', port, protocol: 'TCP' }] },
  }, 'application/apply-patch+yaml');
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

async function createPod(namespace: string, name: string, labels: Record<string, string>, port?: number): Promise<void> {
  const res = await kube('POST', `/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'example/app:1', ...(port ? { ports: [{ containerPort: port, protocol: 'TCP' }] } : {}) }] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

interface InventoryBody {
  status: string;
  counts: { namespaces: number; pods: number; services: number };
  namespaces: Array<{ name: string; labels: Record<string, string> }>;
  pods: Array<{ namespace: string; name: string; labels: Record<string, string>; ip: string | null; ports: Array<{ containerPort: number; protocol: string }> }>;
  services: Array<{ namespace: string; name: string; annotations: Record<string, string> }>;
  serviceErrors: Array<{ service: string; annotation: string; message: string }>;
  nextCursor: string | null;
}

async function scan(): Promise<InventoryBody> {
  const res = await api.as('operator').post(`/api/v1/clusters/${SEED}/inventory-scan?wait=true`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as InventoryBody;
}

async function livePolicies(): Promise<NetworkPolicy[]> {
  const client = simClient(sim, SEED);
  try {
    return (await client.listNetworkPolicies()) as NetworkPolicy[];
  } finally {
    client.close();
  }
}

/** The reachability model of the seed: namespaces and pods as the inventory saw them. */
async function model(): Promise<ClusterModel> {
  const inv = (await api.as('viewer').get(`/api/v1/clusters/${SEED}/inventory?limit=100`).expect(200)).body as InventoryBody;
  expect(inv.nextCursor).toBeNull();
  return {
    namespaces: inv.namespaces.map((n) => ({ name: n.name, labels: n.labels })),
    pods: inv.pods.map((p) => ({ namespace: p.namespace, name: p.name, labels: p.labels, ...(p.ip ? { ip: p.ip } : {}), ports: p.ports.map((cp) => ({ containerPort: cp.containerPort, protocol: 'TCP' as const })) })),
  };
}

const names = (ps: NetworkPolicy[]) => ps.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);

const SCRAPE = `${NET}from-all-scrape-targets-allowed-ports`;
const WEBHOOK = `${NET}from-all-webhook-targets-allowed-ports`;

describe('service-driven policies (gardener-service-policies)', () => {
  it('derives, reconciles and prunes the policies a Service annotation and namespace labels ask for', async () => {
    // scrape target in the seed's garden namespace
    await applyService('garden', 'exporter', { app: 'exporter' }, 9100, { [SCRAPE]: '[{"port":9100,"protocol":"TCP"}]' });
    await createPod('garden', 'exporter-0', { app: 'exporter' }, 9100);
    await createPod('garden', 'prometheus-0', { [`${NET}to-all-scrape-targets`]: 'allowed' });
    await createPod('garden', 'plain-0', {});
    // webhook server in an extension namespace, called by shoot kube-apiservers (namespace-selectors + alias)
    await applyService('extension-x', 'hook', { app: 'hook' }, 10250, {
      [WEBHOOK]: '[{"port":10250,"protocol":"TCP"}]',
      [`${NET}pod-label-selector-namespace-alias`]: 'extensions',
      [`${NET}namespace-selectors`]: '[{"matchLabels":{"gardener.cloud/role":"shoot"}}]',
    });
    await createPod('extension-x', 'hook-0', { app: 'hook' }, 10250);
    // a shoot kube-apiserver reachable from namespaces labelled access-target-apiserver=allowed
    await applyService('shoot--p--a', 'kube-apiserver', { app: 'kubernetes', role: 'apiserver' }, 443, {
      [`${NET}namespace-selectors`]: '[{"matchLabels":{"networking.gardener.cloud/access-target-apiserver":"allowed"}}]',
      [`${NET}pod-label-selector-namespace-alias`]: 'all-shoots',
    });
    await createPod('shoot--p--a', 'kube-apiserver-0', { app: 'kubernetes', role: 'apiserver', [`${NET}to-extensions-all-webhook-targets`]: 'allowed' }, 443);
    await createPod('shoot--p--a', 'etcd-0', { [`${NET}to-kube-apiserver-tcp-443`]: 'allowed' });
    await createPod('shoot--p--a', 'other-0', {});
    await createPod('custom', 'controller-0', { [`${NET}to-all-shoots-kube-apiserver-tcp-443`]: 'allowed' });
    await createPod('custom', 'plain-0', {});
    // a malformed annotation: reported for its Service, derives nothing for it, the rest reconciles
    await applyService('garden', 'broken', { app: 'broken' }, 8080, { [SCRAPE]: '[{"port":70000,"protocol":"TCP"}]' });

    const inv = await scan();
    expect(inv.status).toBe('ok');
    expect(inv.counts.pods).toBeGreaterThanOrEqual(9);
    expect(inv.serviceErrors).toEqual([{ service: 'garden/broken', annotation: SCRAPE, message: '[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive' }]);

    const expected = [
      'garden/ingress-to-exporter-tcp-9100-via-all-scrape-targets',
      'garden/egress-to-exporter-tcp-9100-via-all-scrape-targets',
      'extension-x/ingress-to-hook-tcp-10250-via-all-webhook-targets-from-shoot--p--a',
      'shoot--p--a/egress-to-extension-x-hook-tcp-10250-via-all-webhook-targets',
      'shoot--p--a/ingress-to-kube-apiserver-tcp-443',
      'shoot--p--a/ingress-to-kube-apiserver-tcp-443-from-custom',
      'custom/egress-to-shoot--p--a-kube-apiserver-tcp-443',
    ];
    const live = await until('the derived policies to be reconciled', async () => {
      const ps = await livePolicies();
      return expected.every((n) => names(ps).includes(n)) ? ps : undefined;
    }, 30_000);
    expect(names(live).some((n) => n.includes('broken'))).toBe(false);
    expect(live.find((p) => p.metadata.name === 'ingress-to-exporter-tcp-9100-via-all-scrape-targets')?.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'fleetgate', 'fleetgate.io/binding': 'gardener-service-policies' });

    const m = await model();
    const allowed = (from: string, to: string, port: number) => isAllowed(m, live, { from, to, port }).allowed;
    expect(allowed('garden/prometheus-0', 'garden/exporter-0', 9100)).toBe(true);
    expect(allowed('garden/plain-0', 'garden/exporter-0', 9100)).toBe(false);
    expect(allowed('shoot--p--a/kube-apiserver-0', 'extension-x/hook-0', 10250)).toBe(true);
    expect(allowed('shoot--p--a/other-0', 'extension-x/hook-0', 10250)).toBe(false);
    expect(allowed('custom/controller-0', 'shoot--p--a/kube-apiserver-0', 443)).toBe(true);
    expect(allowed('custom/plain-0', 'shoot--p--a/kube-apiserver-0', 443)).toBe(false);
    expect(allowed('shoot--p--a/etcd-0', 'shoot--p--a/kube-apiserver-0', 443)).toBe(true);
    expect(allowed('shoot--p--a/other-0', 'shoot--p--a/kube-apiserver-0', 443)).toBe(false);

    const desired = (await api.as('viewer').get(`/api/v1/clusters/${SEED}/desired-policies`).expect(200)).body as { items: Array<{ name: string; origin: { kind: string; source?: { service: string | null; namespace: string } } }> };
    expect(desired.items.find((d) => d.name === 'ingress-to-exporter-tcp-9100-via-all-scrape-targets')?.origin).toMatchObject({ kind: 'derived', source: { service: 'garden/exporter', namespace: 'garden' } });

    // the annotations go away: what they derived is pruned, the per-port policies stay
    await applyService('garden', 'exporter', { app: 'exporter' }, 9100, {});
    await applyService('extension-x', 'hook', { app: 'hook' }, 10250, {});
    await scan();
    const after = await until('the policies of removed annotations to be pruned', async () => {
      const ps = names(await livePolicies());
      return ps.some((n) => n.includes('via-all-scrape-targets') || n.includes('via-all-webhook-targets')) ? undefined : ps;
    }, 30_000);
    expect(after).toContain('garden/ingress-to-exporter-tcp-9100');
    expect(after).toContain('custom/egress-to-shoot--p--a-kube-apiserver-tcp-443');
    const m2 = await model();
    expect(isAllowed(m2, await livePolicies(), { from: 'garden/prometheus-0', to: 'garden/exporter-0', port: 9100 }).allowed).toBe(false);
  }, 120_000);

  it('shows enforcement and the inventory on the cluster in REST and GraphQL', async () => {
    const cluster = (await api.as('viewer').get(`/api/v1/clusters/${SEED}`).expect(200)).body as { networkPolicyEnforcement: { status: string } };
    expect(['enforced', 'not_enforced', 'unknown']).toContain(cluster.networkPolicyEnforcement.status);
    const res = await api.gql('viewer', `{ cluster(name: "${SEED}") { networkPolicyEnforcement { status cni } inventory { status counts { pods services } pods(first: 2, namespace: "garden") { edges { node { name } } pageInfo { hasNextPage endCursor } } } } }`);
    expect(res.errors).toBeUndefined();
    const inv = (res.data as { cluster: { inventory: { status: string; pods: { edges: Array<{ node: { name: string } }>; pageInfo: { hasNextPage: boolean } } } } }).cluster.inventory;
    expect(inv.status).toBe('ok');
    expect(inv.pods.edges.map((e) => e.node.name)).toEqual(['exporter-0', 'plain-0']);
    expect(inv.pods.pageInfo.hasNextPage).toBe(true);
    const filtered = (await api.as('viewer').get(`/api/v1/clusters/${SEED}/inventory`).query({ namespace: 'custom', labelSelector: `${NET}to-all-shoots-kube-apiserver-tcp-443=allowed` }).expect(200)).body as InventoryBody;
    expect(filtered.pods.map((p) => p.name)).toEqual(['controller-0']);
    await api.as('viewer').get(`/api/v1/clusters/${SEED}/inventory`).query({ labelSelector: 'a in (' }).expect(400);
  });
});
