import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApplyScope, type DesiredObject, ForeignObjectError, KubeApiError, KubeClient, applyToCluster } from '@fleetgate/kube';
import { type Simulator, startSimulator } from '@fleetgate/kube-sim';

// The one applier (libs/kube applyToCluster) against the simulator over real HTTPS.
const MANAGED = 'app.kubernetes.io/managed-by';
let sim: Simulator;
let n = 0;
let cluster: string;
let client: KubeClient;
const clients: KubeClient[] = [];

const scope: ApplyScope = {
  list: 'all',
  owns: (p) => p.metadata.labels?.[MANAGED] === 'fleetgate' && p.metadata.labels?.['fleetgate.io/binding'] !== undefined && p.metadata.labels?.['fleetgate.io/cluster'] === undefined,
  managed: (p) => p.metadata.labels?.[MANAGED] === 'fleetgate',
};

function desired(namespace: string, name: string, port = 443): DesiredObject {
  return {
    namespace,
    name,
    policy: {
      metadata: { name, namespace, labels: { [MANAGED]: 'fleetgate', 'fleetgate.io/binding': 'b1', 'fleetgate.io/template': 't1' } },
      spec: { podSelector: { matchLabels: { app: 'api' } }, egress: [{ ports: [{ port }] }] },
    },
  };
}
const fastRetry = { baseMs: 5, maxMs: 20, maxRetryAfterMs: 50 };

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sim?.close();
});
beforeEach(async () => {
  cluster = `applier-${++n}`;
  await sim.addCluster({ name: cluster, namespaces: [{ name: 'app' }, { name: 'other' }] });
  client = new KubeClient(sim.connection(cluster), { timeoutMs: 300 });
  clients.push(client);
});

describe('applyToCluster', () => {
  it('creates, leaves unchanged on re-apply (no writes), configures with a diff, prunes only its own', async () => {
    const c = sim.cluster(cluster);
    c.externalEdit.add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'foreign', namespace: 'app' }, spec: { podSelector: {} } });
    const first = await applyToCluster(client, [desired('app', 'a'), desired('other', 'b')], scope);
    expect(first).toMatchObject({ created: 2, configured: 0, unchanged: 0, pruned: 0 });
    const live = c.peekNetworkPolicy('app', 'a');
    expect(live?.metadata.managedFields?.map((m) => m.manager)).toEqual(['fleetgate']);

    const before = sim.requests;
    const again = await applyToCluster(client, [desired('app', 'a'), desired('other', 'b')], scope);
    expect(again).toMatchObject({ created: 0, configured: 0, unchanged: 2, pruned: 0, requests: 1 });
    expect(sim.requests - before).toBe(1); // one list, no writes

    const third = await applyToCluster(client, [desired('app', 'a', 8443)], scope);
    expect(third).toMatchObject({ created: 0, configured: 1, unchanged: 0, pruned: 1 });
    expect(third.objects.find((o) => o.name === 'a')?.diff).toEqual([{ path: 'spec.egress[0].ports[0].port', before: 443, after: 8443 }]);
    expect(c.peekNetworkPolicy('other', 'b')).toBeUndefined();
    expect(c.peekNetworkPolicy('app', 'foreign')).toBeDefined();
  });

  it('fails on a name held by a foreign object and writes nothing', async () => {
    const c = sim.cluster(cluster);
    c.externalEdit.add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'app' }, spec: { podSelector: {} } });
    const err = await applyToCluster(client, [desired('other', 'b'), desired('app', 'a')], scope).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForeignObjectError);
    expect((err as Error).message).toMatch(/app\/a exists and is not managed by fleetgate/);
    expect(c.peekNetworkPolicy('other', 'b')).toBeUndefined();
    expect(c.peekNetworkPolicy('app', 'a')?.metadata.labels).toBeUndefined();
  });

  it("fails on a foreign name by default even when other objects drift (foreign: 'fail')", async () => {
    const c = sim.cluster(cluster);
    await applyToCluster(client, [desired('app', 'keep'), desired('other', 'gone')], scope);
    c.externalEdit.add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'app' }, spec: { podSelector: {} } }, 'helm');
    c.externalEdit.delete('app', 'keep');
    const rv = c.resourceVersion;
    const err = await applyToCluster(client, [desired('app', 'a'), desired('app', 'keep')], scope, { foreign: 'fail' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForeignObjectError);
    expect(c.resourceVersion).toBe(rv);
    expect(c.peekNetworkPolicy('app', 'keep')).toBeUndefined();
    expect(c.peekNetworkPolicy('other', 'gone')).toBeDefined();
  });

  it("with foreign: 'skip' leaves a foreign name alone (byte-identical) and applies and prunes the rest", async () => {
    const c = sim.cluster(cluster);
    await applyToCluster(client, [desired('app', 'keep'), desired('app', 'b'), desired('other', 'gone')], scope);
    c.externalEdit.add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'app', labels: { app: 'theirs' } }, spec: { podSelector: {} } }, 'helm');
    // fleetgate's label without an owner label: managed by fleetgate, but not this target's
    c.externalEdit.add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'c', namespace: 'app', labels: { [MANAGED]: 'fleetgate' } }, spec: { podSelector: {} } }, 'kubectl-create');
    c.externalEdit.delete('app', 'keep');
    const foreignBefore = structuredClone(c.peekNetworkPolicy('app', 'a'));
    const otherBefore = structuredClone(c.peekNetworkPolicy('app', 'c'));
    const want = [desired('app', 'a'), desired('app', 'b', 8443), desired('app', 'c'), desired('app', 'keep')];

    const dry = await applyToCluster(client, want, scope, { foreign: 'skip', dryRun: true });
    expect(dry).toMatchObject({ created: 1, configured: 1, unchanged: 0, pruned: 1, skipped: 2 });
    expect(c.peekNetworkPolicy('app', 'keep')).toBeUndefined();

    const report = await applyToCluster(client, want, scope, { foreign: 'skip' });
    expect(report).toMatchObject({ created: 1, configured: 1, unchanged: 0, pruned: 1, skipped: 2 });
    expect(report.objects.map((o) => [o.namespace, o.name, o.action])).toEqual([
      ['app', 'a', 'skipped'],
      ['app', 'b', 'configured'],
      ['app', 'c', 'skipped'],
      ['app', 'keep', 'created'],
      ['other', 'gone', 'pruned'],
    ]);
    expect(report.objects[0]?.reason).toMatch(/not managed by fleetgate.*left alone/);
    expect(report.objects[2]?.reason).toMatch(/managed by fleetgate for another owner; left alone/);
    expect(c.peekNetworkPolicy('app', 'a')).toEqual(foreignBefore);
    expect(c.peekNetworkPolicy('app', 'c')).toEqual(otherBefore);
    expect(c.peekNetworkPolicy('app', 'a')?.metadata.resourceVersion).toBe(foreignBefore?.metadata.resourceVersion);
    expect(c.peekNetworkPolicy('app', 'keep')?.metadata.labels?.[MANAGED]).toBe('fleetgate');
    expect(c.peekNetworkPolicy('other', 'gone')).toBeUndefined();

    // nothing else to do: one list, no writes, the foreign objects still skipped
    const before = sim.requests;
    expect(await applyToCluster(client, want, scope, { foreign: 'skip' })).toMatchObject({ unchanged: 2, skipped: 2, requests: 1 });
    expect(sim.requests - before).toBe(1);
  });

  it('dry-run reports created / configured (diff) / unchanged / pruned and changes nothing', async () => {
    const c = sim.cluster(cluster);
    await applyToCluster(client, [desired('app', 'a'), desired('app', 'keep'), desired('other', 'gone')], scope);
    const rv = c.resourceVersion;
    const report = await applyToCluster(client, [desired('app', 'a', 9000), desired('app', 'keep'), desired('app', 'new')], scope, { dryRun: true });
    expect(report).toMatchObject({ created: 1, configured: 1, unchanged: 1, pruned: 1 });
    expect(report.objects.map((o) => [o.name, o.action])).toEqual([
      ['a', 'configured'],
      ['keep', 'unchanged'],
      ['new', 'created'],
      ['gone', 'pruned'],
    ]);
    expect(report.objects[0]?.diff).toEqual([{ path: 'spec.egress[0].ports[0].port', before: 443, after: 9000 }]);
    expect(c.resourceVersion).toBe(rv);
    expect(c.peekNetworkPolicy('app', 'new')).toBeUndefined();
    expect(c.peekNetworkPolicy('other', 'gone')).toBeDefined();
  });

  it('retries 5xx, 429 (Retry-After) and timeouts, then succeeds', async () => {
    const c = sim.cluster(cluster);
    for (const faults of [{ errorRate: 1, errorStatus: 503 as const }, { throttleRate: 1, retryAfterSeconds: 0 }, { hang: true }]) {
      c.faults = faults;
      let retried = 0;
      const report = await applyToCluster(client, [desired('app', `r-${Object.keys(faults)[0]?.toLowerCase()}`)], scope, {
        retry: {
          ...fastRetry,
          attempts: 5,
          onRetry: () => {
            if (++retried === 2) c.clearFaults();
          },
        },
      });
      expect(report.retries).toBe(2);
      expect(report.created).toBe(1);
    }
  });

  it('fails at once with the server message on 403 (no retries)', async () => {
    sim.cluster(cluster).faults = { forbidWrites: true };
    let retries = 0;
    const err = await applyToCluster(client, [desired('app', 'a')], scope, { retry: { ...fastRetry, onRetry: () => retries++ } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err).toMatchObject({ kind: 'forbidden', status: 403, retryable: false });
    expect((err as Error).message).toMatch(/forbidden/i);
    expect(retries).toBe(0);
  });

  it('lists only the given namespaces when scoped (a seed holding many control planes)', async () => {
    const c = sim.cluster(cluster);
    await applyToCluster(client, [desired('app', 'a'), desired('other', 'b')], scope);
    const onlyApp: ApplyScope = { ...scope, list: ['app'] };
    const report = await applyToCluster(client, [], onlyApp);
    expect(report).toMatchObject({ pruned: 1, requests: 2 });
    expect(c.peekNetworkPolicy('other', 'b')).toBeDefined();
  });
});
