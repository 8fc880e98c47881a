// Drift found through watches, in seconds: the worker watches each cluster's API server (the
// simulator over real HTTPS, HTTP/2), an external edit is judged as soon as its event arrives,
// a watch whose resourceVersion left the server's window relists and misses nothing, and a
// killed worker's watches move to another worker within the lease time. Scheduled scans are off
// in this file: every finding here came through a watch.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import { DriftWatchLeaseRepository, type FleetgateConfig } from '@fleetgate/core';
import { type Simulator, startSimulator } from '@fleetgate/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftWatchesService } from '../../apps/worker/src/drift-watch/drift-watches.service.js';
import { createWorker } from '../../apps/worker/src/worker.builder.js';
import { type TestApi, bootApi } from './support/api-app.js';
import { assignAndApply, registerSimCluster, until } from './support/drift.fixtures.js';
import { portVersion } from './support/policies.fixtures.js';

const LEASE_SECONDS = 2;
const WORKER = 'apps/worker/dist/main.js';
let api: TestApi;
let sim: Simulator;

beforeAll(async () => {
  [api, sim] = await Promise.all([
    bootApi({ FLEETGATE_DRIFT_WATCH: 'on', FLEETGATE_DRIFT_WATCH_LEASE_SECONDS: String(LEASE_SECONDS), FLEETGATE_DRIFT_INTERVAL_SECONDS: '0', FLEETGATE_PROBE_INTERVAL_SECONDS: '0' }),
    startSimulator({ http2: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([api?.close(), sim?.close()]);
});

interface Finding {
  id: string;
  kind: string;
  status: string;
  target: { cluster: string; namespace: string; name: string };
  changedBy: string | null;
  resolution: string | null;
}

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${Math.random().toString(36).slice(2, 6)}`;

/** A seed and a user cluster with `allow-web` (ingress on 8080) in each of `namespaces`, applied and assigned. */
async function webCluster(driftMode: 'enforce' | 'inform', namespaces = ['app']) {
  const label = unique('l');
  const template = unique('web');
  await api.as('admin').post('/api/v1/templates').send({ name: template, description: 'web', initialVersion: portVersion() }).expect(201);
  await api
    .as('admin')
    .post('/api/v1/bindings')
    .send({ name: unique('bind'), template, version: 1, clusterSelector: `watch-test=${label}`, clusterRole: 'user', placement: { kind: 'namespaces', names: namespaces }, driftMode })
    .expect(201);
  const seed = await registerSimCluster(api, sim, { name: unique('seed'), role: 'seed' });
  const user = await registerSimCluster(api, sim, { name: unique('user'), role: 'user', seed: seed.name, labels: { 'watch-test': label }, namespaces });
  await assignAndApply(api, sim, { ...user, seed: seed.name });
  return { user, seed };
}

const watchOf = async (cluster: string) => ((await api.as('viewer').get(`/api/v1/clusters/${cluster}`).expect(200)).body as { watch: string }).watch;
const connected = (cluster: string, ms = 15_000) => until(`the watch of ${cluster} to connect`, async () => ((await watchOf(cluster)) === 'connected' ? true : undefined), ms);
/** open (and contested) findings; the endpoint also lists resolved ones */
const findings = async (cluster: string) => ((await api.as('viewer').get(`/api/v1/clusters/${cluster}/drift`).expect(200)).body as { items: Finding[] }).items.filter((f) => f.status !== 'resolved');
const port = (cluster: string, ns: string) => (sim.cluster(cluster).peekNetworkPolicy(ns, 'allow-web')?.spec as { ingress?: Array<{ ports?: Array<{ port?: number }> }> } | undefined)?.ingress?.[0]?.ports?.[0]?.port;
const editPort = (cluster: string, ns: string, p: number) => sim.cluster(cluster).externalEdit.modify(ns, 'allow-web', { spec: { ingress: [{ ports: [{ protocol: 'TCP', port: p }] }] } }, 'kubectl-edit');
const scansRun = async () => Number((await api.sql<{ n: number }>('SELECT count(*)::int AS n FROM drift_scans'))[0]?.n ?? 0);

describe('one worker watching', () => {
  let worker: INestApplicationContext;
  beforeAll(async () => {
    worker = await createWorker({ ...api.config, logLevel: 'silent' });
  });
  afterAll(async () => {
    await worker?.close();
  });

  it('an external edit is found within seconds and, in enforce mode, repaired', async () => {
    const { user } = await webCluster('enforce');
    await connected(user.name);
    const gql = await api.gql('viewer', `{ cluster(name: "${user.name}") { watch } }`);
    expect(gql.data).toEqual({ cluster: { watch: 'connected' } });

    const edited = Date.now();
    editPort(user.name, 'app', 9999);
    const found = await until('the modified finding', async () => (await findings(user.name)).find((f) => f.kind === 'modified'), 10_000);
    const foundMs = Date.now() - edited;
    expect(found).toMatchObject({ target: { cluster: user.name, namespace: 'app', name: 'allow-web' }, changedBy: 'kubectl-edit' });
    expect(foundMs).toBeLessThan(5000);
    // the repair rollout writes 8080 back; its event resolves the finding as repaired
    await until('the repair', async () => (port(user.name, 'app') === 8080 ? true : undefined), 15_000);
    await until('the finding resolved', async () => ((await findings(user.name)).length === 0 ? true : undefined), 15_000);
    const resolved = (await api.sql<{ resolution: string }>('SELECT resolution::text AS resolution FROM drift_findings WHERE id = $1', [found.id]))[0];
    expect(resolved?.resolution).toBe('repaired');
    // no scan was asked for and none is scheduled: the watch did it
    expect(await scansRun()).toBe(0);
  });

  it('in inform mode an edit is reported, not repaired, and resolved when changed back', async () => {
    const { user } = await webCluster('inform');
    await connected(user.name);
    editPort(user.name, 'app', 7777);
    const found = await until('the modified finding', async () => (await findings(user.name)).find((f) => f.kind === 'modified'), 10_000);
    expect(port(user.name, 'app')).toBe(7777);
    const repairs = await api.sql('SELECT 1 FROM rollouts WHERE kind = $1', ['repair']);
    editPort(user.name, 'app', 8080);
    await until('the finding resolved', async () => ((await findings(user.name)).length === 0 ? true : undefined), 10_000);
    const row = (await api.sql<{ resolution: string }>('SELECT resolution::text AS resolution FROM drift_findings WHERE id = $1', [found.id]))[0];
    expect(row?.resolution).toBe('changed-back');
    expect(await api.sql('SELECT 1 FROM rollouts WHERE kind = $1', ['repair'])).toHaveLength(repairs.length);
  });

  it('a watch that gets 410 Gone relists and misses nothing', async () => {
    const { user } = await webCluster('inform', ['app', 'shop']);
    await connected(user.name);
    const watches = worker.get(DriftWatchesService);
    const before = watches.countersOf(user.id);
    expect(before).toMatchObject({ lists: 1, expired: 0 });
    // All at once, before the worker's event loop turns: the connections break, an object is
    // edited and another deleted, and the event window forgets both changes; the watch can only
    // resume from a resourceVersion the server no longer has.
    sim.dropConnections();
    editPort(user.name, 'app', 6666);
    sim.cluster(user.name).externalEdit.delete('shop', 'allow-web');
    sim.cluster(user.name).compactEvents();

    const both = await until(
      'a modified and a missing finding',
      async () => {
        const f = await findings(user.name);
        return f.some((x) => x.kind === 'modified') && f.some((x) => x.kind === 'missing') ? f : undefined;
      },
      15_000,
    );
    expect(both.map((f) => `${f.kind} ${f.target.namespace}`).sort()).toEqual(['missing shop', 'modified app']);
    const after = watches.countersOf(user.id);
    expect(after?.expired).toBeGreaterThanOrEqual(1);
    expect(after?.lists).toBeGreaterThanOrEqual(2);
    expect(await scansRun()).toBe(0);
    await connected(user.name);
  });
});

describe('watches spread over worker processes', () => {
  const procs: ChildProcess[] = [];

  function envOf(c: FleetgateConfig): Record<string, string> {
    return {
      DATABASE_URL: c.databaseUrl,
      REDIS_URL: c.redisUrl,
      FLEETGATE_MASTER_KEY: c.masterKey.toString('base64'),
      FLEETGATE_QUEUE_PREFIX: c.queuePrefix,
      FLEETGATE_PROBE_INTERVAL_SECONDS: '0',
      FLEETGATE_DRIFT_INTERVAL_SECONDS: '0',
      FLEETGATE_DRIFT_WATCH: 'on',
      FLEETGATE_DRIFT_WATCH_LEASE_SECONDS: String(LEASE_SECONDS),
      FLEETGATE_CLUSTER_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'warn',
    };
  }

  function startWorker(): Promise<ChildProcess> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [WORKER], { env: { PATH: process.env.PATH ?? '', ...envOf(api.config) }, stdio: ['ignore', 'pipe', 'pipe'] });
      procs.push(child);
      let out = '';
      child.stdout?.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('worker started')) resolve(child);
      });
      child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
      child.on('exit', (code, signal) => {
        if (!out.includes('worker started')) reject(new Error(`worker exited (${code ?? signal}): ${out.slice(-1500)}`));
      });
    });
  }

  beforeAll(() => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npx nx run-many -t build\` (npm test does)`);
  });
  afterAll(() => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  });

  it("killing the worker that holds a cluster's watch moves it to another worker within the lease time", async () => {
    const leases = api.app.get(DriftWatchLeaseRepository);
    const { user } = await webCluster('inform');
    const workers = await Promise.all([startWorker(), startWorker()]);
    const holderOf = async (id: string) => (await leases.holders([id])).get(id) ?? null;
    const pidOf = (holder: string | null) => Number(/-(\d+)-[0-9a-f]+$/.exec(holder ?? '')?.[1]);
    // both workers share the fleet (this file's earlier tests left clusters too, so which worker
    // holds which cluster is not fixed) and the cluster's watch is up
    const fleet = async () => ((await api.as('viewer').get('/api/v1/clusters?limit=100').expect(200)).body.items as { id: string }[]).map((c) => c.id);
    const holders = await until(
      'the fleet shared by both workers',
      async () => {
        const h = await leases.holders(await fleet());
        const pids = new Set([...h.values()].map(pidOf));
        const userHolder = pidOf(h.get(user.id) ?? null);
        return workers.every((w) => pids.has(w.pid as number)) && workers.some((w) => w.pid === userHolder) ? h : undefined;
      },
      20_000,
    );
    await connected(user.name);
    const victim = workers.find((w) => w.pid === pidOf(holders.get(user.id) ?? null)) as ChildProcess;
    const survivor = workers.find((w) => w !== victim) as ChildProcess;

    victim.kill('SIGKILL');
    const killed = Date.now();
    await until('the lease taken over', async () => (pidOf(await holderOf(user.id)) === survivor.pid ? true : undefined), 20_000);
    await connected(user.name);
    const movedMs = Date.now() - killed;
    // the lease expires at most LEASE after the victim's last renewal; the survivor looks every third of it
    expect(movedMs).toBeLessThan(LEASE_SECONDS * 1000 * (1 + 1 / 3) + 1000);

    // and the survivor finds drift on it
    editPort(user.name, 'app', 5555);
    await until('the modified finding', async () => (await findings(user.name)).find((f) => f.kind === 'modified'), 10_000);
    expect(await scansRun()).toBe(0);
    // two worker processes boot here (most of the time on a loaded machine); the takeover itself is asserted above
  }, 150_000);
});
