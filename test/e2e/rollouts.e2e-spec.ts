// Issue 6: rollouts end to end. The API and the worker in-process on one database and Redis
// prefix; clusters are simulated over real HTTPS. A seed hosts the control planes of its user
// clusters in cluster-<name>; the built-in kkp-apiserver binding, gated by apiserverNetworkPolicy,
// puts six policies there.
import { createServer } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { type Simulator, registrationBody, startSimulator } from '@fleetgate/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../../apps/worker/src/worker.builder.js';
import { type TestApi, bootApi } from './support/api-app.js';
import { portVersion } from './support/policies.fixtures.js';

let api: TestApi;
let sim: Simulator;
let worker: INestApplicationContext;
let fleetNo = 0;
let metricsPort = 0;

const GATE = 'apiserverNetworkPolicy';
const KKP_POLICIES = [
  'apiserver-allow-dns-resolver',
  'apiserver-allow-etcd',
  'apiserver-allow-machine-controller-webhook',
  'apiserver-allow-metrics-server',
  'apiserver-allow-openvpn-server',
  'apiserver-deny-all-egress',
];

interface Fleet {
  seed: string;
  users: string[];
  prod: string[];
  env: string;
}

/** A seed and `n` user clusters (the last one env=dev), registered in fleetgate. Labels carry a per-fleet marker. */
async function fleet(n: number): Promise<Fleet> {
  const f = ++fleetNo;
  const seed = `seed-${f}`;
  const users = Array.from({ length: n }, (_, i) => `f${f}-u${i + 1}`);
  const marker = `fleet${f}`;
  await sim.addCluster({
    name: seed,
    labels: { env: 'prod', fleet: marker },
    meta: { role: 'seed', networks: { pods: '100.64.0.0/16', services: '100.96.0.0/20', nodes: '192.168.1.0/24' }, blockedCIDRs: ['169.254.169.254/32'] },
    namespaces: users.map((u) => ({ name: `cluster-${u}`, labels: { 'kubermatic.io/cluster': u } })),
  });
  for (const [i, u] of users.entries()) {
    await sim.addCluster({
      name: u,
      labels: { env: i === n - 1 ? 'dev' : 'prod', fleet: marker },
      meta: { role: 'user', seed, controlPlaneNamespace: `cluster-${u}`, networks: { pods: `10.${20 + i}.0.0/16`, services: '10.240.0.0/20', nodes: '172.16.0.0/24' } },
    });
  }
  for (const name of [seed, ...users]) await api.as('admin').post('/api/v1/clusters').send(registrationBody(sim, name)).expect(201);
  return { seed, users, prod: users.slice(0, n - 1), env: marker };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Rollout = { id: string; kind: string; status: string; currentWave: number; nextWaveAt: string | null; awaitingApproval: boolean; reason: string | null; counts: Record<string, number>; waves: Array<{ index: number; status: string; counts: Record<string, number> }> };
type Target = { cluster: { name: string }; wave: number; state: string; attempts: number; created: number; configured: number; unchanged: number; pruned: number; retries: number; error: string | null; objects: Array<{ name: string; action: string; diff?: unknown }> | null; startedAt: string; finishedAt: string };

const getRollout = async (id: string) => (await api.as('viewer').get(`/api/v1/rollouts/${id}`).expect(200)).body as Rollout;
const targetsOf = async (id: string) => ((await api.as('viewer').get(`/api/v1/rollouts/${id}/targets?limit=100`).expect(200)).body as { items: Target[] }).items;
const settled = (id: string, statuses = ['succeeded', 'failed', 'cancelled']) =>
  until(`rollout ${id} to settle`, async () => {
    const r = await getRollout(id);
    return statuses.includes(r.status) ? r : undefined;
  });
const policiesIn = (seed: string, user: string) =>
  KKP_POLICIES.filter((p) => sim.cluster(seed).peekNetworkPolicy(`cluster-${user}`, p) !== undefined);
const gateOf = async (cluster: string) => {
  const res = await api.as('viewer').get(`/api/v1/clusters/${cluster}/feature-gates`).expect(200);
  return (res.body as { items: Array<{ key: string; enabled: boolean; source: string; rolloutId?: string | null }> }).items.find((g) => g.key === GATE);
};
const toggle = (f: Fleet, enabled: boolean, extra: Record<string, unknown> = {}) =>
  api
    .as('operator')
    .post(`/api/v1/feature-gates/${GATE}/rollouts`)
    .send({ enabled, labelSelector: `env=prod,fleet=${f.env}`, role: 'user', ...extra });

beforeAll(async () => {
  [api, sim] = await Promise.all([bootApi(), startSimulator()]);
  metricsPort = await new Promise<number>((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
  worker = await createWorker({ ...api.config, logLevel: 'silent', probeIntervalSeconds: 0, workerMetricsPort: metricsPort, drift: { ...api.config.drift, intervalSeconds: 0 } });
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
  await sim?.close();
});

describe('rollouts', () => {
  it('KKP: turns apiserverNetworkPolicy on for env=prod in three waves, then off; foreign policies untouched', async () => {
    const f = await fleet(5);
    const foreign = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'operator-owned', namespace: `cluster-${f.prod[0]}` }, spec: { podSelector: {} } };
    sim.cluster(f.seed).externalEdit.add(foreign);

    const res = await toggle(f, true, { strategy: { waves: [{ clusters: [f.prod[1]] }, { percent: 50 }, { percent: 100 }], maxConcurrency: 2 } }).expect(202);
    expect(res.body).toMatchObject({ kind: 'gate', change: { gate: GATE, enabled: true }, dryRun: false });
    expect(['pending', 'running']).toContain(res.body.status);
    const done = await settled(res.body.id);
    expect(done.status).toBe('succeeded');
    expect(done.counts).toMatchObject({ succeeded: 4, failed: 0, skipped: 0, total: 4 });
    expect(done.waves.map((w) => w.counts.total)).toEqual([1, 1, 2]);
    const targets = await targetsOf(res.body.id);
    expect(targets.find((t) => t.wave === 0)?.cluster.name).toBe(f.prod[1]);
    // waves ran in order
    const byWave = (w: number) => targets.filter((t) => t.wave === w);
    expect(Math.max(...byWave(0).map((t) => Date.parse(t.finishedAt)))).toBeLessThanOrEqual(Math.min(...byWave(1).map((t) => Date.parse(t.startedAt))));
    for (const t of targets) expect(t).toMatchObject({ state: 'succeeded', attempts: 1, created: 6, configured: 0, unchanged: 0, pruned: 0, error: null });
    for (const u of f.prod) {
      expect(policiesIn(f.seed, u)).toEqual(KKP_POLICIES);
      expect(await gateOf(u)).toMatchObject({ enabled: true, source: 'explicit', rolloutId: res.body.id });
    }
    const dev = f.users[f.users.length - 1] as string;
    expect(policiesIn(f.seed, dev)).toEqual([]);
    expect((await gateOf(dev))?.enabled).toBe(false);
    const etcd = sim.cluster(f.seed).peekNetworkPolicy(`cluster-${f.prod[0]}`, 'apiserver-allow-etcd');
    expect(etcd?.metadata.managedFields?.map((m) => m.manager)).toEqual(['fleetgate']);
    expect(etcd?.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'fleetgate', 'fleetgate.io/cluster': f.prod[0] });

    // the same again changes nothing on the clusters
    const again = await settled((await toggle(f, true, { strategy: { waves: [{ percent: 100 }] } }).expect(202)).body.id);
    expect((await targetsOf(again.id)).map((t) => [t.created, t.unchanged])).toEqual(f.prod.map(() => [0, 6]));

    const off = await settled((await toggle(f, false, { strategy: { waves: [{ count: 1 }, { percent: 100 }] } }).expect(202)).body.id);
    expect(off.status).toBe('succeeded');
    for (const t of await targetsOf(off.id)) expect(t).toMatchObject({ state: 'succeeded', pruned: 6, created: 0 });
    for (const u of f.prod) {
      expect(policiesIn(f.seed, u)).toEqual([]);
      expect((await gateOf(u))?.enabled).toBe(false);
    }
    expect(sim.cluster(f.seed).peekNetworkPolicy(`cluster-${f.prod[0]}`, 'operator-owned')).toBeDefined();

    // history of a cluster: every rollout that touched it, newest first
    const history = await api.as('viewer').get(`/api/v1/clusters/${f.prod[0]}/history`).expect(200);
    expect(history.body.items.map((h: { rollout: { id: string } }) => h.rollout.id)).toEqual([off.id, again.id, res.body.id]);
    expect(history.body.items[2]).toMatchObject({ state: 'succeeded', created: 6, rollout: { kind: 'gate', change: { gate: GATE, enabled: true } } });
    // every action audited
    const audit = await api.sql<{ action: string }>(`SELECT action FROM audit_events WHERE subject = $1 ORDER BY id`, [`rollout/${res.body.id}`]);
    expect(audit.map((a) => a.action)).toEqual(['rollout.start', ...f.prod.map(() => 'rollout.target.succeeded'), 'rollout.succeeded']);
    // filters
    const list = await api.as('viewer').get(`/api/v1/rollouts?kind=gate&status=succeeded&cluster=${f.prod[0]}&limit=2`).expect(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([off.id, again.id]);
    const page2 = await api.as('viewer').get(`/api/v1/rollouts?kind=gate&status=succeeded&cluster=${f.prod[0]}&limit=2&cursor=${list.body.nextCursor}`).expect(200);
    expect(page2.body.items.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
  });

  it('dry-run stores what would change per cluster and changes nothing', async () => {
    const f = await fleet(3);
    const res = await toggle(f, true, { dryRun: true, strategy: { waves: [{ percent: 100 }] } }).expect(202);
    const done = await settled(res.body.id);
    expect(done).toMatchObject({ status: 'succeeded', dryRun: true });
    for (const t of await targetsOf(res.body.id)) {
      expect(t).toMatchObject({ state: 'succeeded', created: 6 });
      expect(t.objects?.map((o) => [o.name, o.action])).toEqual(KKP_POLICIES.map((p) => [p, 'created']));
    }
    for (const u of f.prod) {
      expect(policiesIn(f.seed, u)).toEqual([]);
      expect(await gateOf(u)).toMatchObject({ enabled: false });
    }
    // a dry-run of turning off after it is on: would prune
    await settled((await toggle(f, true, { strategy: { waves: [{ percent: 100 }] } }).expect(202)).body.id);
    const rv = sim.cluster(f.seed).resourceVersion;
    const dryOff = await settled((await toggle(f, false, { dryRun: true, strategy: { waves: [{ percent: 100 }] } }).expect(202)).body.id);
    for (const t of await targetsOf(dryOff.id)) expect(t.objects?.map((o) => o.action)).toEqual(KKP_POLICIES.map(() => 'pruned'));
    expect(sim.cluster(f.seed).resourceVersion).toBe(rv);
    for (const u of f.prod) expect((await gateOf(u))?.enabled).toBe(true);
    await api.as('operator').post(`/api/v1/rollouts/${dryOff.id}/rollback`).send({}).expect(409);
  });

  it('rollback restores the assigned state from before the rollout on every cluster it changed', async () => {
    const f = await fleet(3);
    const on = await settled((await toggle(f, true, { strategy: { waves: [{ percent: 100 }] } }).expect(202)).body.id);
    for (const u of f.prod) expect(policiesIn(f.seed, u)).toEqual(KKP_POLICIES);
    const rb = await api.as('operator').post(`/api/v1/rollouts/${on.id}/rollback`).send({}).expect(202);
    expect(rb.body).toMatchObject({ kind: 'rollback', rollbackOf: on.id, strategy: { waves: [{ percent: 100 }] } });
    const done = await settled(rb.body.id);
    expect(done).toMatchObject({ status: 'succeeded', counts: { succeeded: 2, total: 2 } });
    for (const u of f.prod) {
      expect(policiesIn(f.seed, u)).toEqual([]);
      expect((await gateOf(u))?.enabled).toBe(false);
    }
    const assigned = await api.sql(`SELECT count(*)::int AS n FROM assigned_policies a JOIN clusters c ON c.id = a.cluster_id WHERE c.name = ANY($1)`, [f.prod]);
    expect(assigned[0]?.n).toBe(0);
  });

  it('a failure budget exceeded by injected 403s pauses; resume goes on', async () => {
    const f = await fleet(4);
    sim.cluster(f.seed).faults = { forbidWrites: true };
    const res = await toggle(f, true, { strategy: { waves: [{ count: 1 }, { percent: 100 }] } }).expect(202);
    const paused = await settled(res.body.id, ['paused']);
    expect(paused.reason).toMatch(/failure budget exceeded in wave 0: 1 failed, 0 allowed/);
    expect(paused.counts).toMatchObject({ failed: 1, pending: 2 });
    const [failed] = (await targetsOf(res.body.id)).filter((t) => t.state === 'failed');
    expect(failed).toMatchObject({ attempts: 1, retries: 0 });
    expect(failed?.error).toMatch(/HTTP 403/);
    expect((await gateOf(failed?.cluster.name as string))?.enabled).toBe(false);
    sim.cluster(f.seed).clearFaults();
    await api.as('operator').post(`/api/v1/rollouts/${res.body.id}/resume`).expect(200);
    const done = await settled(res.body.id);
    expect(done).toMatchObject({ status: 'failed', counts: { failed: 1, succeeded: 2 } });
    await api.as('operator').post(`/api/v1/rollouts/${res.body.id}/resume`).expect(409);
  });

  it('retry runs failed targets again under the same rollout (named ones, then the rest), audited; REST and GraphQL', async () => {
    const f = await fleet(3);
    sim.cluster(f.seed).faults = { forbidWrites: true };
    const res = await toggle(f, true, { strategy: { waves: [{ percent: 100 }], failureBudget: { percent: 100, action: 'pause' } } }).expect(202);
    const failed = await settled(res.body.id);
    expect(failed).toMatchObject({ status: 'failed', counts: { failed: 2 } });
    sim.cluster(f.seed).clearFaults();
    const [first, second] = f.prod as [string, string];
    const bad = await api.as('operator').post(`/api/v1/rollouts/${res.body.id}/retry`).send({ clusters: [first, 'not-a-target'] }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'clusters[1]', message: expect.stringContaining('not a failed target') }]);
    await api.as('viewer').post(`/api/v1/rollouts/${res.body.id}/retry`).send({}).expect(403);
    const one = await api.as('operator').post(`/api/v1/rollouts/${res.body.id}/retry`).send({ clusters: [first] }).expect(202);
    expect(one.body).toMatchObject({ id: res.body.id, finishedAt: null });
    const partly = await settled(res.body.id);
    expect(partly).toMatchObject({ status: 'failed', counts: { succeeded: 1, failed: 1 } });
    expect(policiesIn(f.seed, first)).toEqual(KKP_POLICIES);
    expect(policiesIn(f.seed, second)).toEqual([]);
    const gql = await api.gql('operator', `mutation { retryRollout(id: "${res.body.id}") { id status } }`);
    expect(gql.errors).toBeUndefined();
    const done = await settled(res.body.id);
    expect(done).toMatchObject({ status: 'succeeded', reason: null, counts: { succeeded: 2, failed: 0 } });
    for (const t of await targetsOf(res.body.id)) expect(t).toMatchObject({ state: 'succeeded', attempts: 2, error: null, created: 6 });
    expect((await gateOf(second))?.enabled).toBe(true);
    await api.as('operator').post(`/api/v1/rollouts/${res.body.id}/retry`).send({}).expect(409);
    const audit = await api.sql<{ action: string; summary: { clusters?: string[] } }>(`SELECT action, summary FROM audit_events WHERE subject = $1 AND action = 'rollout.retry' ORDER BY id`, [`rollout/${res.body.id}`]);
    expect(audit.map((a) => a.summary.clusters)).toEqual([[first], [second]]);
  });

  it('retries through injected 5xx, 429 and timeouts and succeeds', async () => {
    const f = await fleet(5);
    sim.cluster(f.seed).faults = { errorRate: 0.1, errorStatus: 503, throttleRate: 0.1, retryAfterSeconds: 0, hang: 0.02 };
    const done = await settled((await toggle(f, true, { strategy: { waves: [{ percent: 100 }] } }).expect(202)).body.id, ['succeeded', 'failed', 'paused']);
    sim.cluster(f.seed).clearFaults();
    expect(done.status).toBe('succeeded');
    const targets = await targetsOf(done.id);
    expect(targets.reduce((n, t) => n + t.retries, 0)).toBeGreaterThan(0);
    for (const u of f.prod) expect(policiesIn(f.seed, u)).toEqual(KKP_POLICIES);
  });

  it('waits for approval between waves; cancel lets running targets finish and skips the rest', async () => {
    const f = await fleet(5);
    const res = await toggle(f, true, { strategy: { waves: [{ count: 1 }, { count: 1 }, { percent: 100 }], pauseBetweenWaves: 'manual' } }).expect(202);
    const waiting = await settled(res.body.id, ['paused']);
    expect(waiting).toMatchObject({ awaitingApproval: true, counts: { succeeded: 1, pending: 3 }, currentWave: 0, reason: 'wave 1 (waves 0-2) waits for approval' });
    await api.as('operator').post(`/api/v1/rollouts/${res.body.id}/resume`).expect(409);
    await api.as('viewer').post(`/api/v1/rollouts/${res.body.id}/approve`).expect(403);
    const approved = await api.as('operator').post(`/api/v1/rollouts/${res.body.id}/approve`).expect(200);
    expect(approved.body).toMatchObject({ currentWave: 1, awaitingApproval: false });
    const second = await until('the second wave to finish', async () => {
      const r = await getRollout(res.body.id);
      return r.awaitingApproval && r.counts.succeeded === 2 ? r : undefined;
    });
    expect(second.status).toBe('paused');
    const cancelled = await api.as('operator').post(`/api/v1/rollouts/${res.body.id}/cancel`).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', counts: { succeeded: 2, skipped: 2 }, nextWaveAt: null });
    // the waves that ran are done; the one cancelled before it ran is not
    expect(cancelled.body.waves.map((w: { status: string }) => w.status)).toEqual(['done', 'done', 'cancelled']);
    const skipped = (await targetsOf(res.body.id)).filter((t) => t.state === 'skipped').map((t) => t.cluster.name);
    for (const u of skipped) expect(policiesIn(f.seed, u)).toEqual([]);
    await api.as('operator').post(`/api/v1/rollouts/${res.body.id}/approve`).expect(409);
    const audit = await api.sql<{ action: string }>(`SELECT action FROM audit_events WHERE subject = $1 AND action IN ('rollout.approve', 'rollout.cancel') ORDER BY id`, [`rollout/${res.body.id}`]);
    expect(audit.map((a) => a.action)).toEqual(['rollout.approve', 'rollout.cancel']);
  });

  it('a selection that matches no cluster is a 422 naming the selector, unless allowEmpty', async () => {
    const f = await fleet(1);
    const none = await api.as('operator').post(`/api/v1/feature-gates/${GATE}/rollouts`).send({ enabled: true, labelSelector: `fleet=${f.env},env=nowhere` });
    expect(none.status).toBe(422);
    expect(none.body).toMatchObject({ title: 'No target clusters', errors: [{ field: 'labelSelector', message: expect.stringContaining('matches no cluster') }] });
    const generic = await api.as('operator').post('/api/v1/rollouts').send({ change: { kind: 'sync' }, targets: { labelSelector: 'env=nowhere' } });
    expect(generic.body).toMatchObject({ status: 422, errors: [{ field: 'targets.labelSelector' }] });
    expect(await api.sql("SELECT 1 FROM audit_events WHERE action = 'rollout.start' AND summary->'selection'->>'labelSelector' LIKE '%nowhere%'")).toEqual([]);
    const empty = await api.as('operator').post(`/api/v1/feature-gates/${GATE}/rollouts`).send({ enabled: true, labelSelector: `fleet=${f.env},env=nowhere`, allowEmpty: true }).expect(202);
    expect(empty.body).toMatchObject({ status: 'succeeded', counts: { total: 0 } });
  });

  it('a wait between waves shows nextWaveAt while it waits, and clears it at the end', async () => {
    const f = await fleet(3);
    const res = await toggle(f, true, { strategy: { waves: [{ count: 1 }, { percent: 100 }], pauseBetweenWaves: '1s' } }).expect(202);
    const waiting = await until('the wait before wave 1', async () => {
      const r = await getRollout(res.body.id);
      return r.currentWave === 1 && r.nextWaveAt ? r : undefined;
    });
    expect(Date.parse(waiting.nextWaveAt as string)).toBeGreaterThan(Date.now() - 1000);
    const done = await settled(res.body.id);
    expect(done).toMatchObject({ status: 'succeeded', nextWaveAt: null, currentWave: 1 });
    expect(done.waves.map((w) => w.status)).toEqual(['done', 'done']);
  });

  it('a newer rollout of the same gate supersedes the not-yet-started targets of an older one: approving the stale one flips nothing back', async () => {
    const f = await fleet(4);
    await settled((await toggle(f, true, { strategy: { waves: [{ percent: 100 }] } }).expect(202)).body.id);
    const off = (await toggle(f, false, { strategy: { waves: [{ count: 1 }, { percent: 100 }], pauseBetweenWaves: 'manual' } }).expect(202)).body.id as string;
    const waiting = await settled(off, ['paused']);
    expect(waiting).toMatchObject({ awaitingApproval: true, counts: { succeeded: 1, pending: 2 } });
    const on = await settled((await toggle(f, true, { strategy: { waves: [{ percent: 100 }] } }).expect(202)).body.id);
    expect(on).toMatchObject({ status: 'succeeded', counts: { succeeded: 3 } });
    const stale = await getRollout(off);
    expect(stale.counts).toMatchObject({ succeeded: 1, superseded: 2, pending: 0 });
    const superseded = (await targetsOf(off)).filter((t) => t.state === 'superseded');
    expect(superseded).toHaveLength(2);
    for (const t of superseded) expect(t.error).toBe(`superseded by rollout ${on.id}`);
    expect((await api.as('viewer').get(`/api/v1/rollouts/${off}/targets?state=superseded`).expect(200)).body.items).toHaveLength(2);
    await api.as('operator').post(`/api/v1/rollouts/${off}/approve`).expect(200);
    const done = await settled(off);
    expect(done).toMatchObject({ status: 'succeeded', reason: '2 target(s) superseded by a newer rollout' });
    for (const u of f.prod) {
      expect(policiesIn(f.seed, u)).toEqual(KKP_POLICIES);
      expect((await gateOf(u))?.enabled).toBe(true);
    }
    const audit = await api.sql<{ summary: { by: string; clusters: string[] } }>(`SELECT summary FROM audit_events WHERE subject = $1 AND action = 'rollout.supersede'`, [`rollout/${off}`]);
    expect(audit).toEqual([{ summary: { by: on.id, clusters: expect.arrayContaining(superseded.map((t) => t.cluster.name)) } }]);
    // a dry run supersedes nothing
    const off2 = (await toggle(f, false, { strategy: { waves: [{ count: 1 }, { percent: 100 }], pauseBetweenWaves: 'manual' } }).expect(202)).body.id as string;
    await settled(off2, ['paused']);
    const dry = (await toggle(f, true, { dryRun: true, strategy: { waves: [{ percent: 100 }] } }).expect(202)).body.id as string;
    expect((await getRollout(off2)).counts).toMatchObject({ pending: 2, superseded: 0 });
    await api.as('operator').post(`/api/v1/rollouts/${off2}/cancel`).expect(200);
    await settled(dry);
  });

  it('concurrent rollouts on the same clusters run one target per cluster, in creation order', async () => {
    const f = await fleet(4);
    sim.cluster(f.seed).faults = { latency: 30 };
    const strategy = { waves: [{ percent: 100 }], maxConcurrency: 10 };
    // three kinds of change (a newer rollout of the same gate would supersede the older one's queued targets)
    const targets = { labelSelector: `env=prod,fleet=${f.env}`, role: 'user' };
    const a = (await toggle(f, true, { strategy }).expect(202)).body.id as string;
    const b = (await api.as('operator').post('/api/v1/rollouts').send({ change: { kind: 'sync' }, targets, strategy }).expect(202)).body.id as string;
    const c = (await api.as('operator').post('/api/v1/rollouts').send({ change: { kind: 'repair' }, targets, strategy }).expect(202)).body.id as string;
    for (const id of [a, b, c]) expect((await settled(id)).status).toBe('succeeded');
    sim.cluster(f.seed).clearFaults();
    const [ta, tb, tc] = await Promise.all([a, b, c].map(targetsOf));
    for (const u of f.prod) {
      const [x, y, z] = [ta, tb, tc].map((ts) => ts?.find((t) => t.cluster.name === u)) as [Target, Target, Target];
      expect(Date.parse(x.finishedAt)).toBeLessThanOrEqual(Date.parse(y.startedAt));
      expect(Date.parse(y.finishedAt)).toBeLessThanOrEqual(Date.parse(z.startedAt));
      expect([x.created, y.unchanged, z.unchanged]).toEqual([6, 6, 6]);
      expect(policiesIn(f.seed, u)).toEqual(KKP_POLICIES);
    }
  });

  it('a binding version change reaches its clusters as configured objects with a diff; a deleted binding is pruned', async () => {
    const f = await fleet(3);
    const apps = f.users;
    for (const u of apps) sim.cluster(u).ensureNamespace({ name: 'web' });
    const name = `web-${f.env}`;
    await api.as('admin').post('/api/v1/templates').send({ name, description: 'allow web', initialVersion: portVersion() }).expect(201);
    await api.as('admin').post(`/api/v1/templates/${name}/versions`).send(portVersion({ changelog: 'port 9090', parameters: [{ name: 'port', type: 'port', default: 9090 }, { name: 'appLabels', type: 'labels', default: { app: 'web' } }] })).expect(201);
    const binding = (await api.as('admin').post('/api/v1/bindings').send({ name, template: name, version: 1, clusterSelector: `fleet=${f.env}`, clusterRole: 'user', placement: { kind: 'namespaces', names: ['web'] } }).expect(201)).body as { binding?: { id: string }; id?: string };
    const id = binding.binding?.id ?? binding.id;
    const v1 = await settled((await api.as('operator').post(`/api/v1/bindings/${id}/rollouts`).send({ strategy: { waves: [{ percent: 100 }] } }).expect(202)).body.id);
    expect(v1).toMatchObject({ status: 'succeeded', kind: 'binding', counts: { succeeded: 3 } });
    for (const u of apps) expect(sim.cluster(u).peekNetworkPolicy('web', 'allow-web')?.spec).toMatchObject({ ingress: [{ ports: [{ port: 8080 }] }] });

    await api.as('admin').patch(`/api/v1/bindings/${name}`).send({ version: 2 }).expect(200);
    const v2 = await settled((await api.as('operator').post(`/api/v1/bindings/${name}/rollouts`).send({ strategy: { waves: [{ count: 1 }, { percent: 100 }] } }).expect(202)).body.id);
    expect(v2.status).toBe('succeeded');
    for (const t of await targetsOf(v2.id)) {
      expect(t).toMatchObject({ state: 'succeeded', configured: 1, created: 0 });
      expect(t.objects?.[0]?.diff).toEqual([{ path: 'spec.ingress[0].ports[0].port', before: 8080, after: 9090 }]);
    }
    for (const u of apps) expect(sim.cluster(u).peekNetworkPolicy('web', 'allow-web')?.spec).toMatchObject({ ingress: [{ ports: [{ port: 9090 }] }] });

    await api.as('admin').delete(`/api/v1/bindings/${name}`).expect(200);
    const gone = await settled((await api.as('operator').post('/api/v1/rollouts').send({ change: { kind: 'binding', binding: name }, strategy: { waves: [{ percent: 100 }] } }).expect(202)).body.id);
    expect(gone).toMatchObject({ status: 'succeeded', counts: { succeeded: 3 } });
    for (const u of apps) expect(sim.cluster(u).peekNetworkPolicy('web', 'allow-web')).toBeUndefined();
  });

  it('Prometheus metrics: the API (targets by state, queue depth, open drift findings) and the worker (targets by result, apply latency, retries, drift scans)', async () => {
    await api.http().get('/metrics').expect(401);
    const res = await api.as('viewer').get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    const succeeded = Number(/fleetgate_rollout_targets\{state="succeeded"\} (\d+)/.exec(res.text)?.[1]);
    expect(succeeded).toBeGreaterThan(0);
    expect(res.text).toMatch(/fleetgate_rollout_queue_depth\{state="waiting"\} \d+/);
    for (const kind of ['missing', 'modified', 'unexpected', 'conflict']) expect(res.text).toMatch(new RegExp(`fleetgate_drift_open_findings\\{kind="${kind}"\\} \\d+`));
    const w = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(w.status).toBe(200);
    const text = await w.text();
    expect(Number(/fleetgate_rollout_targets_total\{result="succeeded"\} (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
    expect(Number(/fleetgate_rollout_targets_total\{result="failed"\} (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
    expect(Number(/fleetgate_rollout_retries_total (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/fleetgate_rollout_apply_seconds_count \d+/);
    expect(text).toMatch(/fleetgate_rollout_queue_depth\{state="active"\} \d+/);
    for (const name of ['fleetgate_drift_scans_total', 'fleetgate_drift_scan_seconds', 'fleetgate_drift_repairs_total', 'fleetgate_drift_contested_total']) {
      expect(text).toContain(`# HELP ${name} `);
    }
  });

  it('GraphQL: startRollout, rollout, rolloutTargets, rollouts and control mutations call the same service', async () => {
    const f = await fleet(2);
    const start = await api.gql(
      'operator',
      `mutation($input: StartRolloutInput!) { startRollout(input: $input) { id kind status dryRun change { __typename ... on GateChange { gate enabled } } selection { labelSelector role clusters } strategy { waves { count percent } maxConcurrency failureBudget { canary { count action } rest { percent action } } pauseBetweenWaves } counts { total } } }`,
      { input: { change: { kind: 'gate', gate: GATE, enabled: true }, targets: { labelSelector: `fleet=${f.env}`, role: 'user' }, strategy: { waves: [{ percent: 100 }] }, dryRun: true } },
    );
    expect(start.errors).toBeUndefined();
    const started = start.data?.startRollout as { id: string; kind: string; dryRun: boolean; counts: { total: number } };
    expect(started).toMatchObject({
      kind: 'gate',
      dryRun: true,
      counts: { total: 2 },
      change: { __typename: 'GateChange', gate: GATE, enabled: true },
      selection: { labelSelector: `fleet=${f.env}`, role: 'user', clusters: null },
      strategy: { waves: [{ count: null, percent: 100 }], maxConcurrency: 50, failureBudget: { canary: { count: 0, action: 'pause' }, rest: { percent: 5, action: 'pause' } }, pauseBetweenWaves: null },
    });
    await settled(started.id);
    const q = await api.gql('viewer', `query($id: ID!) { rollout(id: $id) { status waves { index status counts { succeeded } } targets(first: 1) { edges { node { clusterName cluster { name } state created objects { action namespace name } } } pageInfo { hasNextPage endCursor } } } }`, { id: started.id });
    expect(q.errors).toBeUndefined();
    type Targets = { edges: Array<{ node: { clusterName: string; cluster: { name: string }; state: string; created: number; objects: Array<{ action: string }> } }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
    const rollout = q.data?.rollout as { status: string; waves: unknown[]; targets: Targets };
    expect(rollout).toMatchObject({ status: 'succeeded', waves: [{ index: 0, status: 'done', counts: { succeeded: 2 } }] });
    const first = rollout.targets;
    expect(first.edges).toHaveLength(1);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = await api.gql('viewer', `query($id: ID!, $after: String) { rollout(id: $id) { targets(first: 5, after: $after) { edges { node { clusterName cluster { name } state created objects { action } } } pageInfo { hasNextPage } } } }`, { id: started.id, after: first.pageInfo.endCursor });
    const second = (next.data?.rollout as { targets: Targets }).targets;
    expect(second.pageInfo.hasNextPage).toBe(false);
    const nodes = [...first.edges, ...second.edges].map((e) => e.node);
    expect(nodes.map((t) => t.created)).toEqual([6, 6]);
    expect(nodes.map((t) => t.cluster.name)).toEqual(nodes.map((t) => t.clusterName));
    expect(nodes.every((t) => t.state === 'succeeded' && t.objects.length === 6 && t.objects.every((o) => o.action === 'created'))).toBe(true);
    const list = await api.gql('viewer', `query($c: String) { rollouts(cluster: $c, first: 5) { edges { node { id } } pageInfo { hasNextPage } } }`, { c: f.users[0] });
    expect((list.data?.rollouts as { edges: Array<{ node: { id: string } }> }).edges.map((e) => e.node.id)).toEqual([started.id]);
    const bySucceeded = await api.gql('viewer', `{ rollouts(status: succeeded, kind: gate, first: 100) { edges { node { id status } } } }`);
    expect((bySucceeded.data?.rollouts as { edges: Array<{ node: { id: string; status: string } }> }).edges.map((e) => e.node)).toEqual(expect.arrayContaining([{ id: started.id, status: 'succeeded' }]));
    const badEnum = await api.gql('viewer', `{ rollouts(status: done) { edges { cursor } } }`);
    expect(badEnum.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const paused = await api.gql('operator', `mutation($id: ID!) { pauseRollout(id: $id) { id } }`, { id: started.id });
    expect(paused.errors?.[0]?.extensions.code).toBe('CONFLICT');
    const viewer = await api.gql('viewer', `mutation($id: ID!) { cancelRollout(id: $id) { id } }`, { id: started.id });
    expect(viewer.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const bad = await api.gql('operator', `mutation($input: StartRolloutInput!) { startRollout(input: $input) { id } }`, { input: { change: { kind: 'gate', gate: GATE, enabled: true }, strategy: { maxConcurrency: 0 } } });
    expect(bad.errors?.[0]?.extensions.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'strategy.maxConcurrency' })]));
    const noGate = await api.gql('operator', `mutation($input: StartRolloutInput!) { startRollout(input: $input) { id } }`, { input: { change: { kind: 'gate', enabled: true } } });
    expect(noGate.errors?.[0]?.extensions.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'change.gate' })]));
  });

  it('Bull Board at /admin/queues for admins only', async () => {
    await api.http().get('/admin/queues').expect(401);
    await api.as('operator').get('/admin/queues').expect(403);
    const page = await api.as('admin').get('/admin/queues').expect(200);
    expect(page.text).toMatch(/<html/i);
    const queues = await api.as('admin').get('/admin/queues/api/queues').expect(200);
    expect((queues.body as { queues: Array<{ name: string }> }).queues.map((q) => q.name)).toEqual(expect.arrayContaining(['rollout-target', 'cluster-probe']));
  });

  it('rejects bad requests with field paths', async () => {
    const bad = await api
      .as('operator')
      .post(`/api/v1/feature-gates/${GATE}/rollouts`)
      .send({ enabled: 'yes', labelSelector: 'env in (', strategy: { waves: [{ percent: 0 }], maxConcurrency: 0, failureBudget: { count: 1, action: 'explode' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('enabled');
    const badStrategy = await api.as('operator').post(`/api/v1/feature-gates/${GATE}/rollouts`).send({ enabled: true, strategy: { waves: [{ percent: 0 }], maxConcurrency: 0 } });
    expect(badStrategy.status).toBe(400);
    expect(badStrategy.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['strategy.waves.0.percent', 'strategy.maxConcurrency']));
    const unknown = await api.as('operator').post(`/api/v1/feature-gates/${GATE}/rollouts`).send({ enabled: true, clusters: ['nope'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'clusters[0]', message: 'no cluster "nope"' }]);
    await api.as('operator').post('/api/v1/feature-gates/noSuchGate/rollouts').send({ enabled: true }).expect(404);
    await api.as('viewer').post(`/api/v1/feature-gates/${GATE}/rollouts`).send({ enabled: true }).expect(403);
    const generic = await api.as('operator').post('/api/v1/rollouts').send({ change: { kind: 'gate', gate: 'noSuchGate', enabled: true } });
    expect(generic.status).toBe(400);
    expect(generic.body.errors).toEqual([{ field: 'change.gate', message: 'no feature gate "noSuchGate" is defined' }]);
    await api.as('viewer').get('/api/v1/rollouts/00000000-0000-4000-8000-000000000000').expect(404);
  });
});
