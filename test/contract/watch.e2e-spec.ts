import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractTarget, policy, rawRequest, watchStream, type ContractTarget, type WatchStream } from './support.js';

// Watches as kube-apiserver serves them. Runs against the simulator, or the cluster in KUBE_CONTRACT_KUBECONFIG.
let t: ContractTarget;
const open: WatchStream[] = [];

beforeAll(async () => {
  t = await contractTarget();
});
afterAll(async () => {
  for (const w of open) w.close();
  await t?.cleanup();
});

const NP = '/apis/networking.k8s.io/v1';
const nsPath = () => `${NP}/namespaces/${t.namespace}/networkpolicies`;
const run = () => `fleetgate.io/contract-run=${t.runId}`;

function watch(path: string): WatchStream {
  const w = watchStream(t, path);
  open.push(w);
  return w;
}

async function listRv(path: string): Promise<string> {
  const r = await rawRequest(t, 'GET', path);
  expect(r.status).toBe(200);
  return (r.json().metadata as { resourceVersion: string }).resourceVersion;
}

const summary = (es: { type: string; object: { metadata: { name?: string } } }[]) => es.map((e) => `${e.type} ${e.object.metadata.name}`);

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED from a list resourceVersion, with increasing resourceVersions', async () => {
    const rv = await listRv(`${nsPath()}?labelSelector=${encodeURIComponent(`${run()},case=crud`)}`);
    const w = watch(`${nsPath()}?watch=1&resourceVersion=${rv}&labelSelector=${encodeURIComponent(`${run()},case=crud`)}`);
    expect(await w.status).toBe(200);
    await t.client.createNetworkPolicy(policy(t, 'w-crud', {}, { case: 'crud' }));
    await t.client.patchNetworkPolicy(t.namespace, 'w-crud', { type: 'merge', patch: { spec: { ingress: [{ ports: [{ port: 9999 }] }] } } });
    await t.client.deleteNetworkPolicy(t.namespace, 'w-crud');
    const events = await w.until(3);
    expect(summary(events)).toEqual(['ADDED w-crud', 'MODIFIED w-crud', 'DELETED w-crud']);
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs[1]).toBeGreaterThan(rvs[0] as number);
    expect(rvs[2]).toBeGreaterThan(rvs[1] as number);
    expect(events[0]?.object).toMatchObject({ kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1' });
    expect((events[1]?.object.spec as { ingress: unknown }).ingress).toEqual([{ ports: [{ port: 9999, protocol: 'TCP' }] }]);
  });

  it('without a resourceVersion starts with the current objects as ADDED, then follows', async () => {
    await t.client.createNetworkPolicy(policy(t, 'w-initial-a', {}, { case: 'initial' }));
    await t.client.createNetworkPolicy(policy(t, 'w-initial-b', {}, { case: 'initial' }));
    const sel = encodeURIComponent(`${run()},case=initial`);
    for (const rv of ['', '&resourceVersion=0']) {
      const w = watch(`${nsPath()}?watch=true${rv}&labelSelector=${sel}`);
      const initial = await w.until(2);
      expect(summary(initial).sort()).toEqual(['ADDED w-initial-a', 'ADDED w-initial-b']);
      w.close();
    }
    const w = watch(`${nsPath()}?watch=1&labelSelector=${sel}`);
    await w.until(2);
    await t.client.createNetworkPolicy(policy(t, 'w-initial-c', {}, { case: 'initial' }));
    expect(summary(await w.until(3)).at(-1)).toBe('ADDED w-initial-c');
  });

  it('applies label selectors like the watch cache: starting to match is ADDED, stopping is DELETED', async () => {
    const sel = encodeURIComponent(`${run()},watched=yes`);
    const rv = await listRv(`${nsPath()}?labelSelector=${sel}`);
    const w = watch(`${nsPath()}?watch=1&resourceVersion=${rv}&labelSelector=${sel}`);
    await t.client.createNetworkPolicy(policy(t, 'w-sel', {}, { watched: 'no' }));
    await t.client.patchNetworkPolicy(t.namespace, 'w-sel', { type: 'merge', patch: { metadata: { labels: { watched: 'yes' } } } });
    await t.client.patchNetworkPolicy(t.namespace, 'w-sel', { type: 'merge', patch: { metadata: { labels: { note: 'x' } } } });
    await t.client.patchNetworkPolicy(t.namespace, 'w-sel', { type: 'merge', patch: { metadata: { labels: { watched: 'no' } } } });
    await t.client.deleteNetworkPolicy(t.namespace, 'w-sel');
    await t.client.createNetworkPolicy(policy(t, 'w-sel-marker', {}, { watched: 'yes' }));
    const events = await w.until(4);
    expect(summary(events)).toEqual(['ADDED w-sel', 'MODIFIED w-sel', 'DELETED w-sel', 'ADDED w-sel-marker']);
    // The DELETED event carries the object as it last matched, at the resourceVersion of the change.
    expect(events[2]?.object.metadata.labels?.watched).toBe('yes');
    expect(Number(events[2]?.object.metadata.resourceVersion)).toBeGreaterThan(Number(events[1]?.object.metadata.resourceVersion));
  });

  it('filters by field selector, and refuses an unknown one with 400', async () => {
    const rv = await listRv(nsPath());
    const w = watch(`${nsPath()}?watch=1&resourceVersion=${rv}&fieldSelector=${encodeURIComponent('metadata.name=w-field-b')}`);
    await t.client.createNetworkPolicy(policy(t, 'w-field-a'));
    await t.client.createNetworkPolicy(policy(t, 'w-field-b'));
    expect(summary(await w.until(1))).toEqual(['ADDED w-field-b']);
    const bad = await rawRequest(t, 'GET', `${nsPath()}?watch=1&fieldSelector=${encodeURIComponent('spec.podSelector=x')}`);
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: '"spec.podSelector" is not a known field selector: only "metadata.name", "metadata.namespace"' });
  });

  it('watches all namespaces, and a namespace only its own', async () => {
    const sel = encodeURIComponent(`${run()},case=allns`);
    const rv = await listRv(`${NP}/networkpolicies?labelSelector=${sel}`);
    const all = watch(`${NP}/networkpolicies?watch=1&resourceVersion=${rv}&labelSelector=${sel}`);
    const one = watch(`${NP}/namespaces/${t.otherNamespace}/networkpolicies?watch=1&resourceVersion=${rv}&labelSelector=${sel}`);
    await t.client.createNetworkPolicy(policy(t, 'w-all-a', {}, { case: 'allns' }));
    await t.client.createNetworkPolicy(policy(t, 'w-all-b', {}, { case: 'allns' }, t.otherNamespace));
    const events = await all.until(2);
    expect(events.map((e) => `${e.object.metadata.namespace}/${e.object.metadata.name}`)).toEqual([`${t.namespace}/w-all-a`, `${t.otherNamespace}/w-all-b`]);
    expect(summary(await one.until(1))).toEqual(['ADDED w-all-b']);
  });

  it('answers a resourceVersion older than the event window with an ERROR event: 410 Expired', async () => {
    let old = '1';
    if (t.sim) {
      // The simulator's test hook stands in for etcd compaction.
      old = await listRv(nsPath());
      await t.client.createNetworkPolicy(policy(t, 'w-expired'));
      t.sim.cluster('contract').compactEvents();
    }
    const w = watch(`${nsPath()}?watch=1&resourceVersion=${old}`);
    expect(await w.status).toBe(200);
    const [event] = await w.until(1);
    expect(event?.type).toBe('ERROR');
    expect(event?.object).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
    expect(String(event?.object.message)).toMatch(new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`));
    await w.ended;
  });

  it('ends the stream cleanly after timeoutSeconds', async () => {
    const started = Date.now();
    const w = watch(`${nsPath()}?watch=1&timeoutSeconds=1&labelSelector=${encodeURIComponent('none=here')}`);
    await w.ended;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(w.events).toEqual([]);
  });
});
