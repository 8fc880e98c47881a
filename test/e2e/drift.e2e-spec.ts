// Issue 7: drift. Simulated clusters registered in fleetgate, their assigned state applied the
// way a rollout does, external edits through the simulator as other field managers, scans
// through the API (`?wait=true`) carried out by the worker.
import { createServer } from 'node:net';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createClient } from 'graphql-ws';
import type { Queue } from 'bullmq';
import WebSocket from 'ws';
import { createApiApp } from '../../apps/api/src/app.builder.js';
import { QUEUE, driftScanJobId } from '@fleetgate/core';
import { type Simulator, startSimulator } from '@fleetgate/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../../apps/worker/src/worker.builder.js';
import { type TestApi, bootApi } from './support/api-app.js';
import { assignAndApply, registerSimCluster, simClient, until } from './support/drift.fixtures.js';
import { portVersion } from './support/policies.fixtures.js';

let api: TestApi;
let sim: Simulator;
let worker: INestApplicationContext;

beforeAll(async () => {
  [api, sim] = await Promise.all([bootApi({ FLEETGATE_DRIFT_INTERVAL_SECONDS: '0', FLEETGATE_PROBE_INTERVAL_SECONDS: '0' }), startSimulator()]);
  worker = await createWorker({ ...api.config, logLevel: 'silent' });
});
afterAll(async () => {
  await worker?.close();
  await Promise.all([api?.close(), sim?.close()]);
});

interface Finding {
  id: string;
  kind: string;
  status: string;
  cluster: string;
  target: { cluster: string; namespace: string; name: string };
  diff: Array<{ path: string; expected?: unknown; actual?: unknown }>;
  changedBy: string | null;
  stale: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  repairRequestedAt: string | null;
  note: string | null;
}

async function scan(cluster: string): Promise<{ scanId: string; status: string; items: Finding[] }> {
  const res = await api.as('operator').post(`/api/v1/clusters/${cluster}/drift-scan?wait=true`);
  expect(res.status).toBe(200);
  return res.body as { scanId: string; status: string; items: Finding[] };
}

/**
 * `?wait=true` answers once the scan recorded its findings; the worker acts on them (starts
 * repairs) after that, then its job completes and is removed from the queue.
 */
const actedOn = (scanId: string) =>
  until(`scan ${scanId} to be acted on`, async () => ((await worker.get<Queue>(getQueueToken(QUEUE.driftScan)).getJob(driftScanJobId(scanId))) ? undefined : true));

const drift = async (cluster: string) => (await api.as('viewer').get(`/api/v1/clusters/${cluster}/drift`).expect(200)).body as { state: string; items: Finding[] };

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${Math.random().toString(36).slice(2, 6)}`;

/** A template with one policy (`allow-web`, ingress on 8080) bound to clusters labelled `drift-test=<label>`. */
async function bindWeb(label: string, driftMode: 'enforce' | 'inform', namespaces: string[]): Promise<string> {
  const template = unique('web');
  await api.as('admin').post('/api/v1/templates').send({ name: template, description: 'web', initialVersion: portVersion() }).expect(201);
  const binding = unique('bind');
  await api
    .as('admin')
    .post('/api/v1/bindings')
    .send({ name: binding, template, version: 1, clusterSelector: `drift-test=${label}`, clusterRole: 'user', placement: { kind: 'namespaces', names: namespaces }, driftMode })
    .expect(201);
  return binding;
}

async function webCluster(driftMode: 'enforce' | 'inform', namespaces = ['app']) {
  const label = unique('l');
  const binding = await bindWeb(label, driftMode, namespaces);
  const seed = await registerSimCluster(api, sim, { name: unique('seed'), role: 'seed' });
  const user = await registerSimCluster(api, sim, { name: unique('user'), role: 'user', seed: seed.name, labels: { 'drift-test': label, tier: 'gold' }, namespaces });
  await assignAndApply(api, sim, { ...user, seed: seed.name });
  return { user, seed, label, binding };
}

/** The rollout once it ends, or pauses (a repair must never pause: the tests say so when one does). */
const settled = (id: string) =>
  until(`rollout ${id} to end`, async () => {
    const r = (await api.as('viewer').get(`/api/v1/rollouts/${id}`).expect(200)).body as { kind: string; status: string; reason: string | null };
    return ['succeeded', 'failed', 'cancelled', 'paused'].includes(r.status) ? r : undefined;
  });

const repairAudits = (cluster: string) => api.sql<{ summary: { rolloutId: string } }>("SELECT summary FROM audit_events WHERE action = 'drift.repair' AND subject = $1 ORDER BY id", [`cluster/${cluster}`]);

const port = (cluster: string, ns: string) => (sim.cluster(cluster).peekNetworkPolicy(ns, 'allow-web')?.spec as { ingress?: Array<{ ports?: Array<{ port?: number }> }> } | undefined)?.ingress?.[0]?.ports?.[0]?.port;

describe('after a successful rollout the next scan finds no drift', () => {
  it('for every built-in pack', async () => {
    const gates = { apiserverNetworkPolicy: true, gardenerGeneralPolicies: true, shootSystemPolicies: true };
    const label = unique('packs');
    const defaults = ['default-deny-ingress', 'allow-all-ingress', 'default-deny-egress', 'allow-all-egress'];
    for (const t of defaults) {
      await api
        .as('admin')
        .post('/api/v1/bindings')
        .send({ name: unique(t), template: `kubernetes-defaults-${t}`, version: 1, clusterSelector: `drift-test=${label}`, placement: { kind: 'namespaces', names: [`kd-${t}`] }, driftMode: 'inform' })
        .expect(201);
    }
    const seed = await registerSimCluster(api, sim, {
      name: unique('seed'),
      role: 'seed',
      labels: { 'drift-test': label },
      namespaces: ['garden', 'istio-system', 'istio-ingress-a', 'shoot--p--x', 'extension-y', ...defaults.map((t) => `kd-${t}`)],
      featureGates: gates,
    });
    const user = await registerSimCluster(api, sim, { name: unique('user'), role: 'user', seed: seed.name, labels: { 'drift-test': label }, namespaces: defaults.map((t) => `kd-${t}`), featureGates: gates });
    const onSeed = await assignAndApply(api, sim, seed);
    const onUser = await assignAndApply(api, sim, { ...user, seed: seed.name });
    expect(onSeed).toBeGreaterThan(20); // gardener general x 5 namespaces + 4 kubernetes defaults
    expect(onUser).toBeGreaterThan(8); // KKP apiserver set on the seed + shoot kube-system + 4 defaults
    for (const c of [seed.name, user.name]) {
      const result = await scan(c);
      expect(result).toMatchObject({ status: 'succeeded', items: [] });
      expect((await drift(c)).state).toBe('in-sync');
    }
  });

  it('never reports a field the API server defaulted, even when someone writes it explicitly', async () => {
    const { user } = await webCluster('inform');
    // allow-web has `protocol: TCP` and policyTypes [Ingress] rendered; write the defaulted forms explicitly
    sim.cluster(user.name).externalEdit.modify('app', 'allow-web', { spec: { policyTypes: ['Ingress'], egress: [] } }, 'kubectl-edit');
    expect((await scan(user.name)).items).toEqual([]);
  });
});

describe('finding kinds, from external edits by other field managers', () => {
  it('missing, modified (field diff, changedBy), unexpected and conflict; seen twice is one finding; resolved when someone changes it back', async () => {
    const { user, seed, label, binding } = await webCluster('inform', ['a', 'b', 'c']);
    const c = sim.cluster(user.name);
    c.externalEdit.modify('a', 'allow-web', { spec: { ingress: [{ ports: [{ protocol: 'TCP', port: 9090 }] }] } }, 'kubectl-edit');
    c.externalEdit.delete('b', 'allow-web');
    c.externalEdit.delete('c', 'allow-web');
    c.externalEdit.add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-web', namespace: 'c', labels: { app: 'theirs' } }, spec: { podSelector: {} } }, 'helm');
    const stray = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'stray', namespace: 'a', labels: { 'app.kubernetes.io/managed-by': 'fleetgate' } }, spec: { podSelector: {} } };
    c.externalEdit.add(stray, 'kubectl-create');

    const first = await scan(user.name);
    expect(first.status).toBe('succeeded');
    const byKind = Object.fromEntries(first.items.map((f) => [f.kind, f]));
    expect(Object.keys(byKind).sort()).toEqual(['conflict', 'missing', 'modified', 'unexpected']);
    expect(byKind.modified).toMatchObject({ status: 'open', target: { cluster: user.name, namespace: 'a', name: 'allow-web' }, diff: [{ path: 'spec.ingress[0].ports[0].port', expected: 8080, actual: 9090 }], changedBy: 'kubectl-edit' });
    expect(byKind.missing).toMatchObject({ target: { namespace: 'b', name: 'allow-web' }, diff: [] });
    expect(byKind.conflict).toMatchObject({ target: { namespace: 'c', name: 'allow-web' }, changedBy: 'helm' });
    expect(byKind.unexpected).toMatchObject({ target: { namespace: 'a', name: 'stray' }, changedBy: 'kubectl-create' });
    // inform: reported, never repaired
    expect(port(user.name, 'a')).toBe(9090);
    expect(first.items.every((f) => f.repairRequestedAt === null)).toBe(true);

    const second = await scan(user.name);
    expect(second.items.map((f) => f.id).sort()).toEqual(first.items.map((f) => f.id).sort());
    for (const f of second.items) {
      const before = first.items.find((x) => x.id === f.id)!;
      expect(f.firstSeenAt).toBe(before.firstSeenAt);
      expect(Date.parse(f.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(before.lastSeenAt));
    }

    // someone else puts the port back: the modified finding resolves as changed back
    c.externalEdit.modify('a', 'allow-web', { spec: { ingress: [{ ports: [{ protocol: 'TCP', port: 8080 }] }] } }, 'kubectl-edit');
    const third = await scan(user.name);
    expect(third.items.map((f) => f.kind).sort()).toEqual(['conflict', 'missing', 'unexpected']);
    const history = await drift(user.name);
    expect(history.state).toBe('drifted');
    expect(history.items.find((f) => f.id === byKind.modified!.id)).toMatchObject({ status: 'resolved', resolution: 'changed-back', resolvedAt: expect.any(String) });

    // the fleet listing, filtered by the cluster selector, by kind, paginated
    const page1 = (await api.as('viewer').get(`/api/v1/drift?labelSelector=drift-test=${label}&limit=2`).expect(200)).body as { items: Finding[]; nextCursor: string | null };
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = (await api.as('viewer').get(`/api/v1/drift?labelSelector=drift-test=${label}&limit=2&cursor=${page1.nextCursor}`).expect(200)).body as { items: Finding[]; nextCursor: string | null };
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect([...page1.items, ...page2.items].map((f) => f.kind).sort()).toEqual(['conflict', 'missing', 'unexpected']);
    const onlyMissing = (await api.as('viewer').get(`/api/v1/drift?labelSelector=drift-test=${label},tier=gold&kind=missing`).expect(200)).body as { items: Finding[] };
    expect(onlyMissing.items.map((f) => f.target.namespace)).toEqual(['b']);
    const none = (await api.as('viewer').get(`/api/v1/drift?labelSelector=drift-test=${label},tier=silver`).expect(200)).body as { items: Finding[] };
    expect(none.items).toEqual([]);

    await api.as('viewer').get(`/api/v1/drift/summary?labelSelector=drift-test=${label}`).expect(200, { inSync: 0, drifted: 1, unreachable: 0, neverScanned: 0, total: 1 });

    // the assigned state changes (the binding is deleted and rolled out): what it was about resolves as such
    await api.as('admin').delete(`/api/v1/bindings/${binding}`).expect(200);
    await assignAndApply(api, sim, { ...user, seed: seed.name });
    expect((await scan(user.name)).items).toEqual([]);
    const resolved = (await drift(user.name)).items;
    expect(resolved.find((f) => f.kind === 'missing')).toMatchObject({ status: 'resolved', resolution: 'assigned-state-changed' });
    expect(resolved.find((f) => f.kind === 'conflict')).toMatchObject({ status: 'resolved', resolution: 'assigned-state-changed' });
    await api.as('viewer').get(`/api/v1/drift/summary?labelSelector=drift-test=${label}`).expect(200, { inSync: 1, drifted: 0, unreachable: 0, neverScanned: 0, total: 1 });
  });
});

describe('acting', () => {
  it('enforce repairs (audited as the system) and the finding resolves as repaired', async () => {
    const { user } = await webCluster('enforce');
    sim.cluster(user.name).externalEdit.modify('app', 'allow-web', { spec: { ingress: [{ ports: [{ protocol: 'TCP', port: 9999 }] }] } }, 'kubectl-edit');
    const found = await scan(user.name);
    expect(found.items).toEqual([expect.objectContaining({ kind: 'modified', status: 'open' })]);
    await until('the repair', () => (port(user.name, 'app') === 8080 ? true : undefined));
    const after = await scan(user.name);
    expect(after.items).toEqual([]);
    expect((await drift(user.name)).items).toEqual([expect.objectContaining({ id: found.items[0]!.id, status: 'resolved', resolution: 'repaired', repairRequestedAt: expect.any(String) })]);
    const audit = await api.sql<{ actor: string; summary: { rolloutId: string } }>("SELECT actor, summary FROM audit_events WHERE action = 'drift.repair' AND subject = $1", [`cluster/${user.name}`]);
    expect(audit).toEqual([{ actor: 'system:drift', summary: expect.objectContaining({ rolloutId: expect.any(String) }) }]);
    // the repair is a single-target rollout of kind repair
    const rollout = await api.sql('SELECT kind FROM rollouts WHERE id = $1', [audit[0]!.summary.rolloutId]);
    expect(rollout).toEqual([{ kind: 'repair' }]);
  });

  it('a conflict does not block the repair of the rest: the foreign object is left alone (skipped), the missing one comes back', async () => {
    const { user } = await webCluster('enforce', ['a', 'b']);
    const c = sim.cluster(user.name);
    // a: someone else's object now holds the name fleetgate wants; b: fleetgate's object deleted
    c.externalEdit.delete('a', 'allow-web');
    c.externalEdit.add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-web', namespace: 'a', labels: { app: 'theirs' } }, spec: { podSelector: { matchLabels: { app: 'theirs' } } } }, 'helm');
    c.externalEdit.delete('b', 'allow-web');
    const foreign = structuredClone(c.peekNetworkPolicy('a', 'allow-web'));

    const found = await scan(user.name);
    const byKind = Object.fromEntries(found.items.map((f) => [f.kind, f]));
    expect(Object.keys(byKind).sort()).toEqual(['conflict', 'missing']);
    const audit = await until('the repair request', async () => {
      const rows = await api.sql<{ summary: { rolloutId: string } }>("SELECT summary FROM audit_events WHERE action = 'drift.repair' AND subject = $1", [`cluster/${user.name}`]);
      return rows[0];
    });
    const rolloutId = audit.summary.rolloutId;
    const rollout = await settled(rolloutId);
    const targets = (await api.as('viewer').get(`/api/v1/rollouts/${rolloutId}/targets`).expect(200)).body as { items: Array<{ state: string; error: string | null; created: number; objects: Array<Record<string, unknown>> | null }> };
    expect(targets.items).toEqual([expect.objectContaining({ state: 'succeeded', error: null, created: 1, skipped: 1 })]);
    const gql = await api.gql('viewer', 'query($id: ID!) { rollout(id: $id) { targets { edges { node { created skipped objects { action reason } } } } } }', { id: rolloutId });
    expect(gql.data?.rollout).toEqual({ targets: { edges: [{ node: { created: 1, skipped: 1, objects: expect.arrayContaining([expect.objectContaining({ action: 'skipped', reason: expect.any(String) })]) } }] } });
    expect(rollout).toMatchObject({ kind: 'repair', status: 'succeeded' });
    expect(targets.items[0]!.objects).toEqual(
      expect.arrayContaining([
        { cluster: user.name, namespace: 'a', name: 'allow-web', action: 'skipped', reason: expect.stringMatching(/not managed by fleetgate.*left alone/) },
        { cluster: user.name, namespace: 'b', name: 'allow-web', action: 'created' },
      ]),
    );

    // the missing object is back; the foreign one is untouched
    expect(port(user.name, 'b')).toBe(8080);
    expect(c.peekNetworkPolicy('a', 'allow-web')).toEqual(foreign);
    expect(c.peekNetworkPolicy('a', 'allow-web')?.metadata.resourceVersion).toBe(foreign?.metadata.resourceVersion);

    // the conflict stays open and visible; the missing finding resolved as repaired
    const after = await scan(user.name);
    expect(after.items).toEqual([expect.objectContaining({ id: byKind.conflict!.id, kind: 'conflict', status: 'open' })]);
    expect((await drift(user.name)).items.find((f) => f.id === byKind.missing!.id)).toMatchObject({ status: 'resolved', resolution: 'repaired' });
    expect(c.peekNetworkPolicy('a', 'allow-web')?.metadata.resourceVersion).toBe(foreign?.metadata.resourceVersion);
  });

  it('a repair the cluster refuses ends failed (never paused) and does not hold up the next rollout of the cluster', async () => {
    const { user, binding } = await webCluster('enforce');
    const c = sim.cluster(user.name);
    c.externalEdit.delete('app', 'allow-web');
    c.faults = { forbidWrites: true };
    try {
      expect((await scan(user.name)).items).toEqual([expect.objectContaining({ kind: 'missing', status: 'open' })]);
      const [audit] = await until('the repair request', async () => {
        const rows = await repairAudits(user.name);
        return rows.length ? rows : undefined;
      });
      const repair = await settled(audit!.summary.rolloutId);
      expect(repair).toMatchObject({ kind: 'repair', status: 'failed', reason: expect.stringMatching(/aborted: failure budget exceeded/) });
      const targets = (await api.as('viewer').get(`/api/v1/rollouts/${audit!.summary.rolloutId}/targets`).expect(200)).body as { items: Array<{ state: string; error: string | null }> };
      expect(targets.items).toEqual([expect.objectContaining({ state: 'failed', error: expect.stringMatching(/HTTP 403: .*forbidden/) })]);
    } finally {
      c.clearFaults();
    }
    // the cluster takes writes again: an ordinary rollout of it is not queued behind the failed repair
    const res = await api.as('operator').post('/api/v1/rollouts').send({ change: { kind: 'binding', binding }, targets: { clusters: [user.name] } }).expect(202);
    expect(await settled((res.body as { id: string }).id)).toMatchObject({ kind: 'binding', status: 'succeeded' });
    expect(port(user.name, 'app')).toBe(8080);
  });

  it('does not start a second repair of a cluster while one is still open', async () => {
    const { user, seed } = await webCluster('enforce', ['a', 'b']);
    const c = sim.cluster(user.name);
    // an operator's rollout waits for approval with the cluster's target still to do: a repair started now queues behind it
    const sync = await api
      .as('operator')
      .post('/api/v1/rollouts')
      .send({ change: { kind: 'sync' }, targets: { clusters: [seed.name, user.name] }, strategy: { waves: [{ clusters: [seed.name] }, { percent: 100 }], pauseBetweenWaves: 'manual' } })
      .expect(202);
    const syncId = (sync.body as { id: string }).id;
    await until('the sync to wait for approval', async () => {
      const r = (await api.as('viewer').get(`/api/v1/rollouts/${syncId}`).expect(200)).body as { status: string; awaitingApproval: boolean };
      return r.awaitingApproval ? r : undefined;
    });

    c.externalEdit.modify('a', 'allow-web', { spec: { ingress: [{ ports: [{ protocol: 'TCP', port: 9999 }] }] } }, 'kubectl-edit');
    expect((await scan(user.name)).items).toEqual([expect.objectContaining({ kind: 'modified' })]);
    const [first] = await until('the repair request', async () => {
      const rows = await repairAudits(user.name);
      return rows.length ? rows : undefined;
    });
    const firstId = first!.summary.rolloutId;
    // new drift on another object while that repair is open: found, but no second repair
    c.externalEdit.delete('b', 'allow-web');
    const second = await scan(user.name);
    expect(second.items.map((f) => f.kind).sort()).toEqual(['missing', 'modified']);
    await actedOn(second.scanId);
    expect(await repairAudits(user.name)).toHaveLength(1);
    const repairs = await api.sql<{ id: string; status: string }>(
      "SELECT r.id, r.status::text AS status FROM rollouts r JOIN rollout_targets t ON t.rollout_id = r.id JOIN clusters c ON c.id = t.cluster_id WHERE r.kind = 'repair' AND c.name = $1",
      [user.name],
    );
    expect(repairs).toEqual([{ id: firstId, status: 'running' }]);

    // the operator cancels the sync: the one repair runs and puts back both objects
    await api.as('operator').post(`/api/v1/rollouts/${syncId}/cancel`).expect(200);
    expect(await settled(firstId)).toMatchObject({ kind: 'repair', status: 'succeeded' });
    expect(port(user.name, 'a')).toBe(8080);
    expect(port(user.name, 'b')).toBe(8080);
    expect((await scan(user.name)).items).toEqual([]);
  });

  it('stops repairing an object fought over (3 repairs in 10 minutes), marks it contested and says so', async () => {
    const { user } = await webCluster('enforce');
    const c = sim.cluster(user.name);
    for (let round = 1; round <= 3; round++) {
      c.externalEdit.modify('app', 'allow-web', { spec: { ingress: [{ ports: [{ protocol: 'TCP', port: 9000 + round }] }] } }, 'other-controller');
      expect((await scan(user.name)).items).toEqual([expect.objectContaining({ kind: 'modified', status: 'open' })]);
      await until(`repair ${round}`, () => (port(user.name, 'app') === 8080 ? true : undefined));
      expect((await scan(user.name)).items).toEqual([]);
    }
    c.externalEdit.modify('app', 'allow-web', { spec: { ingress: [{ ports: [{ protocol: 'TCP', port: 9004 }] }] } }, 'other-controller');
    const fourth = await scan(user.name);
    expect(fourth.items).toEqual([expect.objectContaining({ kind: 'modified' })]);
    const current = await until('contested', async () => {
      const f = (await drift(user.name)).items.find((x) => x.status !== 'resolved');
      return f?.status === 'contested' ? f : undefined;
    });
    expect(current).toMatchObject({ changedBy: 'other-controller', note: expect.stringMatching(/repairs stopped/) });
    expect(port(user.name, 'app')).toBe(9004);
    const audit = await api.sql<{ actor: string; summary: { reason: string } }>("SELECT actor, summary FROM audit_events WHERE action = 'drift.contested' AND subject = $1", [`cluster/${user.name}`]);
    expect(audit).toEqual([{ actor: 'system:drift', summary: expect.objectContaining({ reason: expect.stringMatching(/repaired 3 times within 10 minutes/) }) }]);
    // still contested on the next scan, still not repaired
    expect((await scan(user.name)).items).toEqual([expect.objectContaining({ status: 'contested' })]);
    expect(port(user.name, 'app')).toBe(9004);
  });
});

describe('GraphQL', () => {
  it('driftFindings, cluster { drift } (batched) and driftSummary over the same service', async () => {
    const { user, label } = await webCluster('inform');
    sim.cluster(user.name).externalEdit.modify('app', 'allow-web', { spec: { ingress: [{ ports: [{ protocol: 'TCP', port: 7070 }] }] } }, 'kubectl-edit');
    await scan(user.name);
    const r = await api.gql(
      'viewer',
      `query($sel: String) {
        driftFindings(labelSelector: $sel, first: 10) { edges { cursor node { kind status clusterName cluster { name drift { state } } target { namespace name } diff { path expected actual } changedBy stale } } pageInfo { hasNextPage } }
        driftSummary(labelSelector: $sel) { inSync drifted unreachable neverScanned total }
        clusters(labelSelector: $sel) { edges { node { name drift { state openFindings findings { kind } } } } }
      }`,
      { sel: `drift-test=${label}` },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      driftFindings: {
        edges: [{ cursor: expect.any(String), node: { kind: 'modified', status: 'open', clusterName: user.name, cluster: { name: user.name, drift: { state: 'drifted' } }, target: { namespace: 'app', name: 'allow-web' }, diff: [{ path: 'spec.ingress[0].ports[0].port', expected: 8080, actual: 7070 }], changedBy: 'kubectl-edit', stale: false } }],
        pageInfo: { hasNextPage: false },
      },
      driftSummary: { inSync: 0, drifted: 1, unreachable: 0, neverScanned: 0, total: 1 },
      clusters: { edges: [{ node: { name: user.name, drift: { state: 'drifted', openFindings: 1, findings: [{ kind: 'modified' }] } } }] },
    });
  });
});

describe('driftEvents subscription', () => {
  it('delivers a finding opened by a scan in the worker to a subscriber of another API replica, filtered by cluster', async () => {
    const replica: NestExpressApplication = await createApiApp({ ...api.config, logLevel: 'silent' });
    const port = await new Promise<number>((resolve) => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    await replica.listen(port, '127.0.0.1');
    const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${api.tokens.viewer}` }, retryAttempts: 0 });
    try {
      const { user } = await webCluster('inform');
      const seen: Array<{ type: string; cluster: string; kind: string | null }> = [];
      let failed: unknown;
      client.subscribe<{ driftEvents: { type: string; cluster: string; kind: string | null } }>(
        { query: 'subscription($c: String) { driftEvents(cluster: $c) { type cluster kind findingIds at } }', variables: { c: user.name } },
        { next: (v) => void (v.data && seen.push(v.data.driftEvents)), error: (e) => void (failed = e), complete: () => undefined },
      );
      // Until the server has registered the subscription, events are not delivered: every round
      // toggles the object (drifted / back), so each scan emits one event, until one arrives.
      let round = 0;
      await until('the first event', async () => {
        if (failed) throw new Error(`subscription failed: ${JSON.stringify(failed)}`);
        round++;
        sim.cluster(user.name).externalEdit.modify('app', 'allow-web', { spec: { ingress: [{ ports: [{ protocol: 'TCP', port: round % 2 ? 7000 + round : 8080 }] }] } }, 'kubectl-edit');
        await scan(user.name);
        return seen.length > 0 ? true : undefined;
      });
      // now subscribed: back in sync (one object has one finding at a time), then an external delete opens a `missing` finding
      sim.cluster(user.name).externalEdit.modify('app', 'allow-web', { spec: { ingress: [{ ports: [{ protocol: 'TCP', port: 8080 }] }] } }, 'kubectl-edit');
      expect((await scan(user.name)).items).toEqual([]);
      sim.cluster(user.name).externalEdit.delete('app', 'allow-web');
      await scan(user.name);
      await until('the opened event', () => (seen.some((e) => e.type === 'opened' && e.kind === 'missing') ? true : undefined));
      expect(seen.every((e) => e.cluster === user.name)).toBe(true);
    } finally {
      await client.dispose();
      await replica.close();
    }
  });
});

describe('an unreachable cluster', () => {
  it('is marked unreachable in its health, not reported as drift; its last known drift stays visible as stale', async () => {
    const { user } = await webCluster('inform');
    sim.cluster(user.name).externalEdit.delete('app', 'allow-web');
    const known = await scan(user.name);
    expect(known.items).toEqual([expect.objectContaining({ kind: 'missing', stale: false })]);
    sim.setFaults(user.name, { down: true });
    try {
      const down = await scan(user.name);
      expect(down.status).toBe('unreachable');
      expect(down.items).toEqual([expect.objectContaining({ id: known.items[0]!.id, kind: 'missing', stale: true })]);
      const health = await api.sql<{ health_status: string }>('SELECT health_status FROM clusters WHERE name = $1', [user.name]);
      expect(health[0]?.health_status).toBe('unreachable');
      expect(await drift(user.name)).toMatchObject({ state: 'unreachable', items: [expect.objectContaining({ status: 'open', stale: true })] });
    } finally {
      sim.setFaults(user.name, {});
    }
    expect((await scan(user.name)).items).toEqual([expect.objectContaining({ id: known.items[0]!.id, stale: false })]);
  });
});

describe('on demand', () => {
  it('POST drift-scan answers 202 with a scanId; the scan can be read later', async () => {
    const { user } = await webCluster('inform');
    const res = await api.as('operator').post(`/api/v1/clusters/${user.name}/drift-scan`).expect(202);
    expect(res.body).toEqual({ scanId: expect.any(String) });
    const done = await until('the scan', async () => {
      const r = (await api.as('viewer').get(`/api/v1/drift/scans/${(res.body as { scanId: string }).scanId}`).expect(200)).body as { status: string };
      return r.status === 'succeeded' ? r : undefined;
    });
    expect(done).toMatchObject({ cluster: user.name, trigger: 'manual', findings: 0, items: [] });
    await api.as('viewer').post(`/api/v1/clusters/${user.name}/drift-scan`).expect(403);
  });

  it('a fleet-wide scan by selector scans every matching cluster', async () => {
    const { user, label } = await webCluster('inform');
    const res = await api.as('operator').post('/api/v1/drift/scans').send({ labelSelector: `drift-test=${label}` }).expect(202);
    expect(res.body).toMatchObject({ clusters: 1, scanIds: [expect.any(String)] });
    await until('the fleet scan', async () => ((await drift(user.name)).state === 'in-sync' ? true : undefined));
    // the simulator answered list calls with the managed-by selector
    const client = simClient(sim, user.name);
    expect(await client.listNetworkPolicies({ labelSelector: 'app.kubernetes.io/managed-by=fleetgate' })).toHaveLength(1);
    client.close();
  });
});

describe('GET /drift filters', () => {
  it('?cluster= returns only that cluster\'s findings, ?binding= only that binding\'s; an unknown parameter is a 400 naming it', async () => {
    const a = await webCluster('inform');
    const b = await webCluster('inform');
    for (const c of [a, b]) {
      sim.cluster(c.user.name).externalEdit.delete('app', 'allow-web');
      expect((await scan(c.user.name)).items).toHaveLength(1);
    }
    const byCluster = (await api.as('viewer').get(`/api/v1/drift?cluster=${a.user.name}&limit=100`).expect(200)).body as { items: Finding[] };
    expect(byCluster.items.map((f) => f.cluster)).toEqual([a.user.name]);
    const byBinding = (await api.as('viewer').get(`/api/v1/drift?binding=${b.binding}&limit=100`).expect(200)).body as { items: Finding[] };
    expect(byBinding.items.map((f) => f.cluster)).toEqual([b.user.name]);
    await api.as('viewer').get('/api/v1/drift?cluster=no-such-cluster').expect(404);
    for (const url of ['/api/v1/drift?clustr=x', '/api/v1/drift/summary?foo=bar']) {
      const res = await api.as('viewer').get(url).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([url.includes('clustr') ? 'clustr' : 'foo']);
    }
  });
});
