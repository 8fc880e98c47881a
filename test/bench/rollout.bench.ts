/**
 * `npm run bench:rollout -- --clusters 1000 --policies 6 [--baseline kubectl|raw] [--sample 16] [--workers N]`
 *
 * One gate rollout to N user clusters, each getting P NetworkPolicies (one template rendering P
 * policies into namespace `app`, bound to every user cluster and gated by `benchPolicies`).
 * Real Postgres (a fresh database, migrated) and Redis (its own prefix); the built API and
 * worker run as their own processes (`npx nx run-many -t build` first); the simulator runs in
 * this process over real HTTPS. Prints time to completion, policies applied per second, p50/p95
 * per-cluster time, requests per cluster and the worker's peak RSS. `--baseline kubectl` times
 * `kubectl apply --server-side` of the same manifests on a sample of fresh simulated clusters,
 * one after another and 8 in parallel, and prints the ratios (kubectl extrapolated to N).
 * `--baseline raw` runs, after the rollout and against the same simulator, a bare HTTPS client
 * (keep-alive node:https in its own process, no framework, no database) doing what a rollout must
 * per cluster (1 list + P server-side applies) on N fresh clusters, and prints fleetgate's time
 * as a multiple of it. `--workers N` starts N worker processes (their CPU is summed) and checks
 * that every target still has exactly one result (one terminal state, one audit event).
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Simulator, startSimulator } from '@fleetgate/kube-sim';
import pg from 'pg';
import { nodeArgsFor } from '../../scripts/lib/processes.mjs';
import { apiCaller, arg, createBenchDatabase, pct, freePort, log, REDIS_URL, startProcess } from './support/bench.js';

const run = promisify(execFile);
const N = Number(arg('clusters', '1000'));
const P = Number(arg('policies', '6'));
const BASELINE = arg('baseline');
const SAMPLE = Number(arg('sample', '16'));
const CONCURRENCY = Number(arg('max-concurrency', String(Math.max(N, 1))));
const WORKERS = Math.max(1, Number(arg('workers', '1')));

function rssMb(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((s) => Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024);
}

function peakRssMb(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((s) => Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024);
}

/** user+system CPU seconds of a process so far. */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds of every process whose command name is `comm` (e.g. Postgres and its backends),
 * with the CPU of their exited children (a backend that ended is counted by the postmaster that
 * reaped it); 0 where /proc says nothing.
 */
async function cpuSecondsOf(comm: string): Promise<number> {
  let total = 0;
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const name = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (name.trim() !== comm) continue;
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.split(' ') ?? [];
    total += fields.slice(11, 15).reduce((n, f) => n + (Number(f) || 0), 0) / 100;
  }
  return total;
}

async function main(): Promise<void> {
  const runId = randomBytes(4).toString('hex');
  const db = await createBenchDatabase('fleetgate_bench');
  const databaseUrl = db.url;
  const children: ChildProcess[] = [];
  let sim: Simulator | undefined;
  const tmp = await mkdtemp(join(tmpdir(), 'fleetgate-bench-'));
  try {
    await run(process.execPath, ['scripts/db.mjs', 'migrate'], { env: { ...process.env, DATABASE_URL: databaseUrl } });

    // --- the fleet
    const users = Array.from({ length: N }, (_, i) => `bench-u${String(i + 1).padStart(5, '0')}`);
    const samples =
      BASELINE === 'kubectl'
        ? Array.from({ length: SAMPLE * 3 }, (_, i) => `kubectl-s${String(i + 1).padStart(3, '0')}`)
        : BASELINE === 'raw'
          ? Array.from({ length: N }, (_, i) => `raw-u${String(i + 1).padStart(5, '0')}`)
          : [];
    const t0 = Date.now();
    sim = await startSimulator({
      clusters: [
        { name: 'bench-hub', meta: { role: 'seed' } },
        ...[...users, ...samples].map((name) => ({ name, labels: { bench: 'yes' }, namespaces: [{ name: 'app' }] })),
      ],
    });
    log(`simulator: ${N + samples.length + 1} clusters in ${Date.now() - t0} ms`);

    // --- API and worker, built, as their own processes
    const port = await freePort();
    const adminToken = `fg_bench_${randomBytes(16).toString('hex')}`;
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      PORT: String(port),
      FLEETGATE_MASTER_KEY: randomBytes(32).toString('base64'),
      FLEETGATE_ADMIN_TOKEN: adminToken,
      FLEETGATE_QUEUE_PREFIX: `bench-${runId}`,
      FLEETGATE_PROBE_INTERVAL_SECONDS: '0',
      FLEETGATE_DRIFT_INTERVAL_SECONDS: '0',
      FLEETGATE_CLUSTER_TIMEOUT_MS: '15000',
      LOG_LEVEL: 'warn',
    };
    // BENCH_API_CPU_PROFILE=<dir> writes a .cpuprofile of the API (on exit)
    const apiProf = process.env.BENCH_API_CPU_PROFILE;
    const apiProc = await startProcess('api', 'apps/api/dist/main.js', env, /listening on/, [...(apiProf ? ['--cpu-prof', `--cpu-prof-dir=${apiProf}`] : []), ...nodeArgsFor('api')]);
    children.push(apiProc);
    const base = `http://127.0.0.1:${port}/api/v1`;
    const call = apiCaller(base, adminToken);

    // --- desired state: P policies per user cluster behind a gate
    await call('POST', '/feature-gates', { key: 'benchPolicies', description: 'benchmark policies', default: false });
    const body = Array.from({ length: P }, (_, i) => ({
      metadata: { name: `bench-policy-${i}` },
      spec: { podSelector: { matchLabels: { app: `svc-${i}` } }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 8000 + i }] }], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.10.0.0/16'] } }], ports: [{ protocol: 'UDP', port: 53 }] }] },
    }));
    await call('POST', '/templates', { name: 'bench', description: 'benchmark template', initialVersion: { body, changelog: 'bench' } });
    await call('POST', '/bindings', { name: 'bench', template: 'bench', version: 1, clusterRole: 'user', placement: { kind: 'namespaces', names: ['app'] }, gate: 'benchPolicies' });

    const t1 = Date.now();
    await call('POST', '/clusters', { name: 'bench-hub', role: 'seed', credentials: { server: sim.serverUrl('bench-hub'), caData: Buffer.from(sim.caPem).toString('base64'), token: sim.cluster('bench-hub').token }, networks: { pods: '100.64.0.0/16', services: '100.96.0.0/20' } });
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < users.length) {
          const name = users[next++] as string;
          const conn = sim!.connection(name);
          await call('POST', '/clusters', { name, role: 'user', seed: 'bench-hub', labels: { bench: 'yes' }, credentials: { server: conn.server, caData: conn.caData, token: conn.token }, networks: { pods: '10.20.0.0/16', services: '10.240.0.0/20' } });
        }
      }),
    );
    log(`registered ${N} user clusters in ${Date.now() - t1} ms`);

    // BENCH_WORKER_PROFILE=<dir> writes a CPU profile of the worker
    const prof = process.env.BENCH_WORKER_PROFILE;
    // BENCH_WORKER_CPU_PROFILE=<dir> writes a .cpuprofile of the worker (on exit)
    const cpuProf = process.env.BENCH_WORKER_CPU_PROFILE;
    // The worker runs with the flags `npm start` gives it; BENCH_WORKER_NODE_ARGS replaces them to try others
    const workerNodeArgs = process.env.BENCH_WORKER_NODE_ARGS !== undefined ? process.env.BENCH_WORKER_NODE_ARGS.split(' ').filter(Boolean) : nodeArgsFor('worker');
    const workers: ChildProcess[] = [];
    for (let w = 0; w < WORKERS; w++) {
      const workerProc = await startProcess(`worker ${w + 1}`, 'apps/worker/dist/main.js', env, /worker started/, [
        ...(prof ? ['--prof', `--logfile=${prof}/worker-%p.log`, '--no-logfile-per-isolate'] : cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : []),
        ...workerNodeArgs,
      ]);
      workers.push(workerProc);
      children.push(workerProc);
    }
    const workerPids = workers.map((w) => w.pid as number);
    const sum = async (f: (pid: number) => Promise<number>) => (await Promise.all(workerPids.map(f))).reduce((a, b) => a + b, 0);

    // --- the measured rollout
    const rssAtStart = Math.max(...(await Promise.all(workerPids.map(rssMb))));
    const requestsBefore = sim.requests;
    const workerCpuBefore = await sum(cpuSeconds);
    const [pgCpuBefore, redisCpuBefore] = [await cpuSecondsOf('postgres'), await cpuSecondsOf('redis-server')];
    const benchCpuBefore = process.cpuUsage();
    const started = performance.now();
    const rollout = await call('POST', '/feature-gates/benchPolicies/rollouts', { enabled: true, role: 'user', strategy: { waves: [{ percent: 100 }], maxConcurrency: CONCURRENCY } });
    const acceptedAfter = (performance.now() - started) / 1000;
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    let firstDone: number | undefined;
    let status = '';
    let lastProgress = 0;
    for (;;) {
      const r = await db.query<{ status: string; done: string }>(
        `SELECT r.status, (SELECT count(*) FROM rollout_targets t WHERE t.rollout_id = r.id AND t.state IN ('succeeded','failed','skipped')) AS done FROM rollouts r WHERE r.id = $1`,
        [rollout.id],
      );
      status = r.rows[0]?.status ?? '';
      if (firstDone === undefined && Number(r.rows[0]?.done ?? 0) > 0) firstDone = (performance.now() - started) / 1000;
      if (['succeeded', 'failed', 'cancelled', 'paused'].includes(status)) break;
      if (Date.now() - lastProgress > 5000) {
        lastProgress = Date.now();
        log(`  … ${r.rows[0]?.done ?? 0}/${N} targets done after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      await new Promise((res) => setTimeout(res, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const workerCpu = (await sum(cpuSeconds)) - workerCpuBefore;
    const [pgCpu, redisCpu] = [(await cpuSecondsOf('postgres')) - pgCpuBefore, (await cpuSecondsOf('redis-server')) - redisCpuBefore];
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const requests = sim.requests - requestsBefore;
    const rows = (await db.query<{ state: string; duration_ms: number; created: number }>(`SELECT state, duration_ms, created FROM rollout_targets WHERE rollout_id = $1`, [rollout.id])).rows;
    // exactly one result per target: one row each, in a terminal state, and one audit event each
    const results = (
      await db.query<{ events: string; clusters: string }>(
        `SELECT count(*) AS events, count(DISTINCT summary->>'cluster') AS clusters FROM audit_events WHERE subject = $1 AND action LIKE 'rollout.target.%'`,
        [`rollout/${String(rollout.id)}`],
      )
    ).rows[0];
    await db.end();
    const exactlyOnce = rows.length === N && Number(results?.events) === N && Number(results?.clusters) === N;
    const durations = rows.map((r) => r.duration_ms);
    const applied = rows.reduce((n, r) => n + r.created, 0);
    const failed = rows.filter((r) => r.state !== 'succeeded').length;
    const peaks = await Promise.all(workerPids.map(peakRssMb));
    const rss = Math.max(...peaks);
    let onClusters = 0;
    for (const u of users) onClusters += sim.cluster(u).policyCount;

    log('');
    log(`rollout ${String(rollout.id)}: ${status}, ${N} clusters × ${P} policies (maxConcurrency ${CONCURRENCY}, ${WORKERS} worker process${WORKERS > 1 ? 'es' : ''})`);
    log(`  time to completion      ${seconds.toFixed(2)} s (POST answered after ${acceptedAfter.toFixed(2)} s, first target done after ${(firstDone ?? seconds).toFixed(2)} s)`);
    log(`  policies applied        ${applied} (${onClusters} on the clusters), ${failed} failed targets`);
    log(`  policies applied/s      ${(applied / seconds).toFixed(0)}`);
    log(`  per-cluster time        p50 ${pct(durations, 50)} ms, p95 ${pct(durations, 95)} ms`);
    log(`  requests per cluster    ${(requests / N).toFixed(2)}`);
    log(`  results                 ${rows.length} targets, ${results?.events ?? 0} target audit events for ${results?.clusters ?? 0} clusters: ${exactlyOnce ? 'exactly one result per target' : 'NOT exactly one result per target'}`);
    log(`  worker peak RSS         ${rss.toFixed(0)} MiB (${rssAtStart.toFixed(0)} MiB when it started)${WORKERS > 1 ? `; per worker ${peaks.map((p) => p.toFixed(0)).join(', ')} MiB` : ''}`);
    log(`  worker CPU per target   ${((workerCpu * 1000) / N).toFixed(2)} ms (${workerCpu.toFixed(1)} s for ${N} targets)`);
    log(`  CPU during the rollout  worker ${workerCpu.toFixed(1)} s, simulator+bench ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s, Postgres ${pgCpu.toFixed(1)} s, Redis ${redisCpu.toFixed(1)} s (2 cores)`);

    if (BASELINE === 'kubectl') {
      // the same manifests fleetgate applied, without server-set fields
      const live = sim.cluster(users[0] as string);
      const items = Array.from({ length: P }, (_, i) => {
        const o = live.peekNetworkPolicy('app', `bench-policy-${i}`) as { metadata: Record<string, unknown>; spec: unknown };
        const { name, namespace, labels, annotations } = o.metadata;
        return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace, labels, annotations }, spec: o.spec };
      });
      const manifest = join(tmp, 'manifests.json');
      await writeFile(manifest, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
      const { files } = await sim.writeKubeconfigs(join(tmp, 'kubeconfigs'));
      const apply = (cluster: string) =>
        run('kubectl', ['apply', '--server-side', '--validate=false', '--field-manager=kubectl-bench', '--kubeconfig', files[cluster] as string, '--cache-dir', join(tmp, 'cache', cluster), '-f', manifest]);
      const seq = samples.slice(0, SAMPLE);
      const ts = performance.now();
      for (const c of seq) await apply(c);
      const seqPer = (performance.now() - ts) / 1000 / seq.length;
      const par = samples.slice(SAMPLE, SAMPLE * 3);
      const tp = performance.now();
      let i = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (i < par.length) await apply(par[i++] as string);
        }),
      );
      const parPer = (performance.now() - tp) / 1000 / par.length;
      for (const c of [...seq, ...par]) if (sim.cluster(c).policyCount !== P) throw new Error(`kubectl did not apply ${P} policies to ${c}`);
      log('');
      // the simulator serves no OpenAPI, so kubectl's client-side validation is off (a real server would cost kubectl more)
      log(`kubectl apply --server-side --validate=false (sample: ${seq.length} sequential, ${par.length} with 8 in parallel)`);
      log(`  sequential              ${(seqPer * 1000).toFixed(0)} ms per cluster -> ${(seqPer * N).toFixed(1)} s for ${N} clusters; fleetgate is ${((seqPer * N) / seconds).toFixed(1)}x faster`);
      log(`  8 in parallel           ${(parPer * 1000).toFixed(0)} ms per cluster -> ${(parPer * N).toFixed(1)} s for ${N} clusters; fleetgate is ${((parPer * N) / seconds).toFixed(1)}x faster`);
    }

    if (BASELINE === 'raw') {
      // the same manifests fleetgate applied, without server-set fields, into each fresh cluster's `app`
      const live = sim.cluster(users[0] as string);
      const manifests = Array.from({ length: P }, (_, i) => {
        const o = live.peekNetworkPolicy('app', `bench-policy-${i}`) as { metadata: Record<string, unknown>; spec: unknown };
        const { name, namespace, labels, annotations } = o.metadata;
        return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace, labels, annotations }, spec: o.spec };
      });
      const plan = join(tmp, 'raw-plan.json');
      await writeFile(plan, JSON.stringify({ ca: sim.caPem, concurrency: 64, maxSockets: 32, clusters: samples.map((c) => ({ server: sim!.serverUrl(c), token: sim!.cluster(c).token })), manifests }));
      const requestsBeforeRaw = sim.requests;
      // the client runs as its own process (its CPU apart from the simulator's, which runs in this one)
      const child = execFile(process.execPath, ['test/bench/support/raw-rollout-client.mjs', plan], { maxBuffer: 1 << 20 });
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout?.on('data', (b: Buffer) => (text += b.toString()));
        child.stderr?.on('data', (b: Buffer) => process.stderr.write(b));
        child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`raw client exited with ${code}`))));
      });
      const raw = JSON.parse(out) as { seconds: number; cpuSeconds: number; requests: number; failures: number };
      for (const c of samples) if (sim.cluster(c).policyCount !== P) throw new Error(`the raw client did not apply ${P} policies to ${c}`);
      log('');
      log(`bare HTTPS client (keep-alive node:https, 64 clusters at a time over 32 sockets as the worker's agent, no framework, no database; same simulator, same run)`);
      log(`  time                    ${raw.seconds.toFixed(2)} s for ${samples.length} clusters × (1 list + ${P} applies), ${raw.requests} requests (${sim.requests - requestsBeforeRaw} seen by the simulator), ${raw.failures} failed`);
      log(`  client CPU              ${raw.cpuSeconds.toFixed(2)} s (${((raw.cpuSeconds * 1000) / raw.requests).toFixed(3)} ms per request; fleetgate's worker: ${((workerCpu * 1000) / requests).toFixed(3)} ms per request)`);
      log(`  fleetgate / bare client ${(seconds / raw.seconds).toFixed(2)}x the time`);
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, process.env.BENCH_WORKER_CPU_PROFILE ? 5000 : 500));
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await sim?.close();
    await db.drop();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
