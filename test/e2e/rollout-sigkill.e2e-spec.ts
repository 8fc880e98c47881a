// Issue 6: a worker process SIGKILLed mid-rollout and restarted converges, and every target ends
// with exactly one terminal result. Runs the built worker (apps/worker/dist/main.js; `npm test`
// builds first) as a real child process on this file's database and Redis prefix.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { FleetgateConfig } from '@fleetgate/core';
import { type Simulator, registrationBody, startSimulator } from '@fleetgate/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, bootApi } from './support/api-app.js';

const WORKER = 'apps/worker/dist/main.js';
let api: TestApi;
let sim: Simulator;
const procs: ChildProcess[] = [];

function envOf(c: FleetgateConfig): Record<string, string> {
  return {
    DATABASE_URL: c.databaseUrl,
    REDIS_URL: c.redisUrl,
    FLEETGATE_MASTER_KEY: c.masterKey.toString('base64'),
    FLEETGATE_QUEUE_PREFIX: c.queuePrefix,
    FLEETGATE_PROBE_INTERVAL_SECONDS: '0',
    FLEETGATE_DRIFT_INTERVAL_SECONDS: '0',
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

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 45_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npx nx run-many -t build\` (npm test does)`);
  [api, sim] = await Promise.all([bootApi(), startSimulator()]);
});
afterAll(async () => {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await api?.close();
  await sim?.close();
});

describe('a worker killed mid-rollout', () => {
  it('is restarted and the rollout converges with exactly one result per target', async () => {
    const users = Array.from({ length: 10 }, (_, i) => `k-u${i + 1}`);
    await sim.addCluster({ name: 'k-seed', meta: { role: 'seed' }, namespaces: users.map((u) => ({ name: `cluster-${u}` })) });
    for (const u of users) await sim.addCluster({ name: u, labels: { env: 'prod' }, meta: { role: 'user', seed: 'k-seed', controlPlaneNamespace: `cluster-${u}` } });
    for (const name of ['k-seed', ...users]) await api.as('admin').post('/api/v1/clusters').send(registrationBody(sim, name)).expect(201);
    // slow writes so that the kill lands while targets are running
    sim.cluster('k-seed').faults = { latency: { kind: 'uniform', minMs: 100, maxMs: 400 } };

    const first = await startWorker();
    const res = await api
      .as('operator')
      .post('/api/v1/feature-gates/apiserverNetworkPolicy/rollouts')
      .send({ enabled: true, labelSelector: 'env=prod', role: 'user', strategy: { waves: [{ percent: 100 }], maxConcurrency: 4 } })
      .expect(202);
    const id = res.body.id as string;
    const states = async () => (await api.sql<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM rollout_targets WHERE rollout_id = $1 GROUP BY state`, [id])).reduce<Record<string, number>>((m, r) => ({ ...m, [r.state]: r.n }), {});
    const mid = await until('a target done and others running', async () => {
      const s = await states();
      return (s.succeeded ?? 0) >= 1 && (s.running ?? 0) >= 1 ? s : undefined;
    });
    first.kill('SIGKILL');
    await new Promise<void>((r) => (first.exitCode !== null || first.signalCode !== null ? r() : first.once('exit', () => r())));
    expect(mid.running).toBeGreaterThan(0);
    expect(first.signalCode).toBe('SIGKILL');

    await startWorker();
    const done = await until('the rollout to finish', async () => {
      const r = (await api.as('viewer').get(`/api/v1/rollouts/${id}`).expect(200)).body as { status: string; counts: Record<string, number> };
      return ['succeeded', 'failed', 'cancelled', 'paused'].includes(r.status) ? r : undefined;
    });
    expect(done).toMatchObject({ status: 'succeeded', counts: { succeeded: 10, failed: 0, total: 10 } });
    const targets = (await api.as('viewer').get(`/api/v1/rollouts/${id}/targets?limit=100`).expect(200)).body.items as Array<{ cluster: { name: string }; attempts: number; created: number; unchanged: number }>;
    // some target was re-delivered and ran again: applying twice is applying once
    expect(targets.some((t) => t.attempts >= 2)).toBe(true);
    const results = await api.sql<{ cluster: string; n: number }>(
      `SELECT summary->>'cluster' AS cluster, count(*)::int AS n FROM audit_events WHERE subject = $1 AND action LIKE 'rollout.target.%' GROUP BY 1 ORDER BY 1`,
      [`rollout/${id}`],
    );
    expect(results).toHaveLength(10);
    for (const r of results) expect(r.n).toBe(1);
    for (const u of users) {
      expect(sim.cluster('k-seed').listNetworkPolicies({ namespace: `cluster-${u}` }).items as unknown[]).toHaveLength(6);
      const t = targets.find((x) => x.cluster.name === u);
      expect((t?.created ?? 0) + (t?.unchanged ?? 0)).toBe(6);
    }
    const assigned = await api.sql<{ n: number }>(`SELECT count(*)::int AS n FROM assigned_policies a JOIN clusters c ON c.id = a.cluster_id WHERE c.name = ANY($1)`, [users]);
    expect(assigned[0]?.n).toBe(60);
  });
});
