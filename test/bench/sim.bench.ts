/**
 * `npm run bench:sim`: the simulator's two scale figures.
 *  1. Memory: RSS of a simulator process holding 10,000 clusters × 10 NetworkPolicies.
 *  2. Server-side apply throughput: requests per second of simulator CPU time (≈ one core),
 *     and per wall-clock second, with no injected latency.
 * The simulator runs in a child process so its RSS and CPU time are its own; this process is
 * only the load generator. Override sizes with SIM_BENCH_SEEDS, SIM_BENCH_USERS,
 * SIM_BENCH_POLICIES, SIM_BENCH_SECONDS, SIM_BENCH_CONCURRENCY, SIM_BENCH_WORKLOADS; SIM_BENCH_PROFILE=DIR writes a CPU
 * profile of the simulator process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import { fileURLToPath } from 'node:url';

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const SEEDS = env('SIM_BENCH_SEEDS', 100);
const USERS = env('SIM_BENCH_USERS', 99);
const POLICIES = env('SIM_BENCH_POLICIES', 10);
const SECONDS = env('SIM_BENCH_SECONDS', 10);
const CONCURRENCY = env('SIM_BENCH_CONCURRENCY', 64);
const PREFIX = 'bench';
/** SIM_BENCH_WORKLOADS=1 adds the generated pods, Services, Endpoints and DaemonSets (the target is stated for policies only). */
const WORKLOADS = process.env.SIM_BENCH_WORKLOADS === '1';

interface Ready {
  url: string;
  caPem: string;
  adminToken: string;
  clusters: string[];
  policies: number;
  buildMs: number;
}

async function child(): Promise<void> {
  const { generateFleet, startSimulator } = await import('@fleetgate/kube-sim');
  const t0 = Date.now();
  const specs = generateFleet({ seeds: SEEDS, usersPerSeed: USERS, policiesPerCluster: POLICIES, tokenPrefix: PREFIX, workloads: WORKLOADS });
  const sim = await startSimulator({ clusters: specs, adminToken: 'bench-admin' });
  specs.length = 0;
  (globalThis as { gc?: () => void }).gc?.();
  const clusters = sim.clusters();
  const ready: Ready = {
    url: sim.url,
    caPem: sim.caPem,
    adminToken: sim.adminToken,
    clusters: clusters.map((c) => c.name),
    policies: clusters.reduce((n, c) => n + c.policyCount, 0),
    buildMs: Date.now() - t0,
  };
  process.send?.(ready);
  process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
}

function request(agent: https.Agent, url: URL, method: string, path: string, token: string, body?: string, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: url.hostname, port: url.port, method, path, agent, headers: { authorization: `Bearer ${token}`, 'content-type': contentType, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function stats(agent: https.Agent, ready: Ready): Promise<{ rssBytes: number; heapUsedBytes: number; cpu: { user: number; system: number } }> {
  const r = await request(agent, new URL(ready.url), 'GET', '/admin/stats', ready.adminToken);
  return JSON.parse(r.text) as { rssBytes: number; heapUsedBytes: number; cpu: { user: number; system: number } };
}

async function parent(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  console.log(`bench:sim — building ${SEEDS} seeds × ${USERS} users (${SEEDS * (USERS + 1)} clusters), ${POLICIES} policies each …`);
  const proc: ChildProcess = fork(self, [], { env: { ...process.env, SIM_BENCH_CHILD: '1' }, execArgv: [...process.execArgv, '--max-old-space-size=2048', '--expose-gc', ...(process.env.SIM_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SIM_BENCH_PROFILE}`] : [])] });
  const ready = await new Promise<Ready>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as Ready));
    proc.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)));
  });
  const url = new URL(ready.url);
  const agent = new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: ready.caPem });
  await new Promise((r) => setTimeout(r, 1000));
  const mem = await stats(agent, ready);
  const rssMb = mem.rssBytes / 2 ** 20;
  console.log(`clusters: ${ready.clusters.length}, NetworkPolicies: ${ready.policies} (built in ${(ready.buildMs / 1000).toFixed(1)} s)`);
  console.log(`RSS with the fleet loaded: ${rssMb.toFixed(0)} MiB (heap used ${(mem.heapUsedBytes / 2 ** 20).toFixed(0)} MiB) — target < 1024 MiB: ${rssMb < 1024 ? 'OK' : 'MISSED'}`);

  // SSA load: every request applies one policy as fleetgate would (force, field manager), half
  // of them with a changed port so the store really writes.
  let ok = 0;
  let failed = 0;
  let seq = 0;
  const body = (ns: string, name: string, port: number) =>
    JSON.stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/managed-by': 'fleetgate' } },
      spec: { podSelector: { matchLabels: { app: name } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'web' } } }], ports: [{ port }] }], policyTypes: ['Ingress'] },
    });
  const users = ready.clusters.filter((n) => n.includes('-user-'));
  const deadline = Date.now() + SECONDS * 1000;
  const before = await stats(agent, ready);
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (Date.now() < deadline) {
      const i = seq++;
      const cluster = users[i % users.length] as string;
      const name = `fleetgate-${i % 10}`;
      const r = await request(agent, url, 'PATCH', `/clusters/${cluster}/apis/networking.k8s.io/v1/namespaces/default/networkpolicies/${name}?fieldManager=fleetgate&force=true`, `${PREFIX}-${cluster}`, body('default', name, 8000 + ((i >> 1) % 2)), 'application/apply-patch+yaml');
      if (r.status === 200 || r.status === 201) ok++;
      else {
        failed++;
        if (failed < 3) console.error(`apply failed: ${r.status} ${r.text.slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const after = await stats(agent, ready);
  const cpuS = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1e6;
  const perCore = ok / cpuS;
  console.log(`SSA: ${ok} applies (${failed} failed) in ${wallS.toFixed(1)} s wall = ${(ok / wallS).toFixed(0)}/s; simulator CPU ${cpuS.toFixed(1)} s = ${perCore.toFixed(0)} applies per CPU-second — target ≥ 3000/s on one core: ${perCore >= 3000 ? 'OK' : 'MISSED'}`);
  console.log(`RSS after the load: ${(after.rssBytes / 2 ** 20).toFixed(0)} MiB`);
  agent.destroy();
  const exited = new Promise((r) => proc.once('exit', r));
  proc.disconnect();
  const timer = setTimeout(() => proc.kill('SIGTERM'), 5000);
  await exited;
  clearTimeout(timer);
}

if (process.env.SIM_BENCH_CHILD) await child();
else await parent();
