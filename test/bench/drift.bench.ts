/**
 * `npm run bench:drift -- --clusters 1000 --policies 6 [--edit-latency] [--interval 60] [--edits 3]`
 * `npm run bench:drift -- --watch --edit-latency --clusters 1000 [--edits 50]`
 *
 * N user clusters in the simulator (in this process, real HTTPS), registered through the REST
 * API in a fresh, migrated Postgres database, each assigned P NetworkPolicies (one template
 * rendering P policies into `app`, bound to every user cluster; their desired objects applied as
 * `fleetgate` and recorded as the assigned state, as a rollout leaves them). The built API and
 * worker run as their own processes (`npx nx run-many -t build` first); Redis gets its own prefix.
 *
 *  1. Full fleet scan: `POST /api/v1/drift/scans {labelSelector: bench=yes}` until every scan
 *     finished. Prints wall time, clusters/s, p50/p95 of the scans' own durations, requests per
 *     cluster, and the open findings (0: a fleet just rolled out has no drift).
 *  2. `--edit-latency`: the worker restarted with the default schedule (at most `--interval` s
 *     between two scans of a cluster, 5 s jitter); external edits land at random moments on
 *     random clusters; prints the time from each edit until its `modified` finding exists.
 *  3. `--watch --edit-latency` (instead of 1 and 2): one worker with drift watches on (and the
 *     default scan schedule as the safety net beside them) watches every cluster; once every
 *     watch is connected, `--edits` external edits land one after another on random clusters
 *     (each reverted after its finding); prints the edit -> finding distribution (p50/p95/max),
 *     how long the watches took to connect and the worker's RSS. The simulator speaks HTTP/2,
 *     so the worker's watches share one connection to its one listener.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { type Simulator, startSimulator } from '@fleetgate/kube-sim';
import pg from 'pg';
import { nodeArgsFor } from '../../scripts/lib/processes.mjs';
import { apiCaller, arg, createBenchDatabase, pct, flag, freePort, log, REDIS_URL, startProcess, stop } from './support/bench.js';

const run = promisify(execFile);
const N = Number(arg('clusters', '1000'));
const P = Number(arg('policies', '6'));
const INTERVAL = Number(arg('interval', '60'));
const WATCH = flag('watch');
const EDITS = Number(arg('edits', WATCH ? '50' : '3'));

const procMb = (pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> =>
  readFile(`/proc/${pid}/status`, 'utf8').then((s) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) / 1024);
async function until<T>(what: string, fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i] as T, i);
      }
    }),
  );
}

async function main(): Promise<void> {
  const runId = randomBytes(4).toString('hex');
  const db = await createBenchDatabase('fleetgate_bench_drift');
  const databaseUrl = db.url;
  let sim: Simulator | undefined;
  let apiProc: ChildProcess | undefined;
  let workerProc: ChildProcess | undefined;
  const sql = new pg.Client({ connectionString: databaseUrl });
  try {
    await run(process.execPath, ['scripts/db.mjs', 'migrate'], { env: { ...process.env, DATABASE_URL: databaseUrl } });
    await sql.connect();
    const users = Array.from({ length: N }, (_, i) => `bench-u${String(i + 1).padStart(5, '0')}`);
    let t = Date.now();
    sim = await startSimulator({ http2: WATCH, clusters: [{ name: 'bench-hub' }, ...users.map((name) => ({ name, labels: { bench: 'yes' }, namespaces: [{ name: 'app' }] }))] });
    log(`simulator: ${N + 1} clusters in ${Date.now() - t} ms`);

    const port = await freePort();
    const adminToken = `fg_bench_${randomBytes(16).toString('hex')}`;
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      PORT: String(port),
      FLEETGATE_MASTER_KEY: randomBytes(32).toString('base64'),
      FLEETGATE_ADMIN_TOKEN: adminToken,
      FLEETGATE_QUEUE_PREFIX: `bench-drift-${runId}`,
      FLEETGATE_PROBE_INTERVAL_SECONDS: '0',
      FLEETGATE_DRIFT_INTERVAL_SECONDS: '0',
      FLEETGATE_CLUSTER_TIMEOUT_MS: '15000',
      FLEETGATE_DRIFT_WATCH: 'off',
      LOG_LEVEL: 'warn',
    };
    apiProc = await startProcess('api', 'apps/api/dist/main.js', env, /listening on/, nodeArgsFor('api'));
    const base = `http://127.0.0.1:${port}/api/v1`;
    const call = apiCaller(base, adminToken);

    // --- the fleet, its template and binding
    t = Date.now();
    const ca = Buffer.from(sim.caPem).toString('base64');
    const creds = (name: string) => ({ server: sim!.serverUrl(name), caData: ca, token: sim!.cluster(name).token });
    await call('POST', '/clusters', { name: 'bench-hub', role: 'seed', credentials: creds('bench-hub') });
    const ids: string[] = new Array(N);
    await mapLimit(users, 16, async (name, i) => {
      ids[i] = (await call('POST', '/clusters', { name, role: 'user', seed: 'bench-hub', labels: { bench: 'yes' }, credentials: creds(name) })).id as string;
    });
    log(`registered ${N} clusters in ${Date.now() - t} ms`);
    const body = Array.from({ length: P }, (_, i) => ({
      metadata: { name: `bench-policy-${i}` },
      spec: { podSelector: { matchLabels: { app: `svc-${i}` } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 8000 + i }] }], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.10.0.0/16'] } }], ports: [{ protocol: 'UDP', port: 53 }] }] },
    }));
    await call('POST', '/templates', { name: 'bench', description: 'benchmark template', initialVersion: { body, changelog: 'bench' } });
    await call('POST', '/bindings', { name: 'bench', template: 'bench', version: 1, clusterRole: 'user', placement: { kind: 'namespaces', names: ['app'] }, driftMode: 'inform' });
    const versionId = (await sql.query("SELECT v.id FROM policy_template_versions v JOIN policy_templates t ON t.id = v.template_id WHERE t.name = 'bench'")).rows[0].id as string;

    // --- what a rollout leaves: the desired objects applied as fleetgate, recorded as assigned
    t = Date.now();
    const writer = new pg.Pool({ connectionString: databaseUrl, max: 8 });
    type Desired = { items: Array<{ target: { cluster: string; namespace: string }; name: string; policy: Record<string, unknown> & { metadata: Record<string, unknown> }; hash: string; origin: { binding: string; template: string; version: number } }> };
    await mapLimit(users, 16, async (name, i) => {
      const d = (await call('GET', `/clusters/${name}/desired-policies`)) as unknown as Desired;
      const c = sim!.cluster(name);
      const rows: unknown[] = [];
      for (const p of d.items) {
        c.applyNetworkPolicy(p.target.namespace, p.name, p.policy, { manager: 'fleetgate', force: true });
        rows.push([ids[i], `${p.target.cluster}/${p.target.namespace}/${p.name}`, p.target.cluster, p.target.namespace, p.name, p.hash, JSON.stringify(p.policy), p.origin.binding, p.origin.template, versionId, p.origin.version]);
      }
      for (const r of rows) {
        await writer.query(
          `INSERT INTO assigned_policies (id, cluster_id, target_key, target_cluster_name, namespace, name, hash, body, binding_name, template_name, template_version_id, version, rollout_id, assigned_at)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'bench', now())`,
          r as unknown[],
        );
      }
    });
    await writer.end();
    log(`assigned and applied ${N} x ${P} policies in ${Date.now() - t} ms`);

    if (WATCH) {
      const started = Date.now();
      workerProc = await startProcess('worker', 'apps/worker/dist/main.js', { ...env, FLEETGATE_DRIFT_WATCH: 'on', FLEETGATE_DRIFT_INTERVAL_SECONDS: String(INTERVAL) }, /worker started/, nodeArgsFor('worker'));
      await watchEditLatency(sim, env.FLEETGATE_QUEUE_PREFIX, workerProc.pid as number, started, users, ids, sql);
      return;
    }

    // --- 1. full fleet scan
    workerProc = await startProcess('worker', 'apps/worker/dist/main.js', env, /worker (started|ready)|Nest application successfully started|scheduled drift scans are off/i, nodeArgsFor('worker'));
    for (const round of [1, 2]) {
      const requestsBefore = sim.requests;
      const t0 = performance.now();
      const res = await call('POST', '/drift/scans', { labelSelector: 'bench=yes' });
      const scanIds = res.scanIds as string[];
      await until(
        'the full scan',
        async () => (Number((await sql.query("SELECT count(*) AS n FROM drift_scans WHERE id = ANY($1) AND status IN ('succeeded', 'unreachable', 'failed')", [scanIds])).rows[0].n) >= N ? true : undefined),
        600_000,
      );
      const ms = performance.now() - t0;
      const rows = (await sql.query('SELECT status, extract(epoch from (finished_at - started_at)) * 1000 AS ms FROM drift_scans WHERE id = ANY($1)', [scanIds])).rows as Array<{ status: string; ms: number }>;
      const lat = rows.map((r) => Number(r.ms));
      const failed = rows.filter((r) => r.status !== 'succeeded').length;
      const open = Number((await sql.query("SELECT count(*) AS n FROM drift_findings WHERE status <> 'resolved'")).rows[0].n);
      log(
        `full fleet scan #${round}: ${N} clusters x ${P} policies in ${(ms / 1000).toFixed(2)} s (${Math.round(N / (ms / 1000))} clusters/s); ` +
          `scan p50 ${pct(lat, 50).toFixed(0)} ms p95 ${pct(lat, 95).toFixed(0)} ms (batch start to finish); ${((sim.requests - requestsBefore) / N).toFixed(2)} requests/cluster; not succeeded ${failed}; open findings ${open}`,
      );
    }

    // --- 2. external edit -> finding with the default schedule
    if (flag('edit-latency')) {
      await stop(workerProc);
      workerProc = await startProcess('worker', 'apps/worker/dist/main.js', { ...env, FLEETGATE_DRIFT_INTERVAL_SECONDS: String(INTERVAL) }, /worker started/, nodeArgsFor('worker'));
      log(`scheduler: every cluster at least every ${INTERVAL} s (a round every ${INTERVAL - 5} s, jitter 5 s), ${N} clusters`);
      const results: number[] = [];
      for (let e = 0; e < EDITS; e++) {
        await new Promise((r) => setTimeout(r, Math.random() * INTERVAL * 1000));
        const i = Math.floor(Math.random() * N);
        const name = users[i] as string;
        const edited = Date.now();
        sim.cluster(name).externalEdit.modify('app', 'bench-policy-0', { spec: { ingress: [{ ports: [{ port: 1000 + e }] }] } }, 'kubectl-edit');
        await until(
          'the finding',
          async () => ((await sql.query("SELECT 1 FROM drift_findings WHERE cluster_id = $1 AND kind = 'modified' AND status = 'open'", [ids[i]])).rowCount ? true : undefined),
          (INTERVAL + 120) * 1000,
        );
        const ms = Date.now() - edited;
        results.push(ms);
        log(`edit ${e + 1}: ${name} modified -> finding after ${(ms / 1000).toFixed(1)} s`);
        sim.cluster(name).externalEdit.modify('app', 'bench-policy-0', { spec: { ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 8000 }] }] } }, 'kubectl-edit');
      }
      const lag = (await sql.query("SELECT count(*) AS n FROM cluster_drift_states WHERE last_scan_at > now() - make_interval(secs => $1)", [INTERVAL + 10])).rows[0].n;
      log(`edit -> finding: max ${(Math.max(...results) / 1000).toFixed(1)} s, mean ${(results.reduce((a, b) => a + b, 0) / results.length / 1000).toFixed(1)} s over ${results.length} edits; clusters scanned within the last ${INTERVAL + 10} s: ${lag}/${N}`);
    }
  } finally {
    await stop(workerProc);
    await stop(apiProc);
    await sim?.close();
    await sql.end().catch(() => undefined);
    await db.drop();
  }
}

/** 3. One worker (started at `t0`) watching the whole fleet; external edits; edit -> finding. */
async function watchEditLatency(sim: Simulator, prefix: string, pid: number, t0: number, users: string[], ids: string[], sql: pg.Client): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const stateKeys = ids.map((id) => `{${prefix}:drift-watch}:lease:${id}:state`);
    const connected = async () => {
      let n = 0;
      for (let i = 0; i < stateKeys.length; i += 1000) n += (await redis.mget(...stateKeys.slice(i, i + 1000))).filter((v) => v === 'connected').length;
      return n;
    };
    await until('every watch connected', async () => ((await connected()) >= N ? true : undefined), 600_000);
    const connectMs = Date.now() - t0;
    const rssConnected = await procMb(pid, 'VmRSS');
    log(`watches: ${N} clusters watched by one worker, all connected ${(connectMs / 1000).toFixed(1)} s after it started; worker RSS ${rssConnected.toFixed(0)} MiB`);
    // let the start-up judging (clusters with findings, the first lists) settle
    await new Promise((r) => setTimeout(r, 3000));
    const results: number[] = [];
    const quiet: number[] = [];
    const duringRound: number[] = [];
    for (let e = 0; e < EDITS; e++) {
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
      const i = Math.floor(Math.random() * N);
      const name = users[i] as string;
      const editedAt = new Date();
      const edited = performance.now();
      sim.cluster(name).externalEdit.modify('app', 'bench-policy-0', { spec: { ingress: [{ ports: [{ port: 1000 + e }] }] } }, 'kubectl-edit');
      await until(
        'the finding',
        async () => ((await sql.query("SELECT 1 FROM drift_findings WHERE cluster_id = $1 AND kind = 'modified' AND status = 'open'", [ids[i]])).rowCount ? true : undefined),
        120_000,
      );
      const took = performance.now() - edited;
      results.push(took);
      // was a scheduled scan round going on meanwhile (other clusters scanned in the same window)?
      const others = Number(
        (await sql.query('SELECT count(*) AS n FROM cluster_drift_states WHERE cluster_id <> $1 AND last_scan_at >= $2 AND last_scan_at <= $3', [ids[i], editedAt, new Date(editedAt.getTime() + took)])).rows[0].n,
      );
      (others > 0 ? duringRound : quiet).push(took);
      // changed back: the watch resolves the finding the same way
      sim.cluster(name).externalEdit.modify('app', 'bench-policy-0', { spec: { ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 8000 }] }] } }, 'kubectl-edit');
      await until('the finding resolved', async () => ((await sql.query("SELECT 1 FROM drift_findings WHERE cluster_id = $1 AND status = 'open'", [ids[i]])).rowCount ? undefined : true), 120_000);
    }
    const ms = (x: number) => `${(x / 1000).toFixed(2)} s`;
    log(
      `edit -> finding through the watch over ${results.length} edits: p50 ${ms(pct(results, 50))}, p95 ${ms(pct(results, 95))}, max ${ms(Math.max(...results))} ` +
        `(min ${ms(Math.min(...results))}, mean ${ms(results.reduce((a, b) => a + b, 0) / results.length)})`,
    );
    const dist = (xs: number[]) => (xs.length ? `p50 ${ms(pct(xs, 50))}, p95 ${ms(pct(xs, 95))}, max ${ms(Math.max(...xs))}` : '-');
    log(`  ${quiet.length} edits with no scheduled scan running meanwhile: ${dist(quiet)}; ${duringRound.length} during a scheduled scan round: ${dist(duringRound)}`);
    log(`worker RSS: ${(await procMb(pid, 'VmRSS')).toFixed(0)} MiB now, peak ${(await procMb(pid, 'VmHWM')).toFixed(0)} MiB; connected watches at the end: ${await connected()}/${N}`);
  } finally {
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
