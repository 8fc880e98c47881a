/**
 * `npm run bench:inventory -- --clusters 1000 --pods-per-cluster 50 [--page-size 500]`
 *
 * N clusters in the simulator (in this process, real HTTPS), each with `--pods-per-cluster` pods
 * spread over 5 namespaces, one Service per namespace (one annotated like a Gardener scrape
 * target) and a calico-node DaemonSet in kube-system; registered through the REST API in a fresh,
 * migrated Postgres database. The built API and worker run as their own processes (`npx nx
 * run-many -t build` first); Redis gets its own prefix.
 *
 * A full fleet refresh: `POST /api/v1/drift/scans {labelSelector: bench=yes}`; the worker refreshes
 * the inventory of each batch (one paginated listing per kind and cluster) before its drift scan.
 * Prints the time until every cluster's inventory is stored (and until the scans finished), the
 * requests per cluster, the stored snapshot size, and the worker's peak RSS (VmHWM).
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { type KubeObject, type Simulator, startSimulator } from '@fleetgate/kube-sim';
import pg from 'pg';
import { nodeArgsFor } from '../../scripts/lib/processes.mjs';
import { apiCaller, arg, createBenchDatabase, freePort, log, REDIS_URL, startProcess, stop } from './support/bench.js';

const run = promisify(execFile);
const N = Number(arg('clusters', '1000'));
const PODS = Number(arg('pods-per-cluster', '50'));
const NAMESPACES = ['apps', 'monitoring', 'payments', 'orders', 'garden'];

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
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

/** What runs in one benchmark cluster. */
function workload(): KubeObject[] {
  const objects: KubeObject[] = [];
  for (let i = 0; i < PODS; i++) {
    const ns = NAMESPACES[i % NAMESPACES.length]!;
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `app-${i}`, namespace: ns, labels: { app: `app-${i % 10}`, tier: i % 2 ? 'backend' : 'frontend' } },
      spec: { containers: [{ name: 'main', image: 'example/app:1.0', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
    } as KubeObject);
  }
  NAMESPACES.forEach((ns, i) =>
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `svc-${i}`, namespace: ns, annotations: ns === 'garden' ? { 'networking.resources.gardener.cloud/from-all-scrape-targets-allowed-ports': '[{"port":8080,"protocol":"TCP"}]' } : {} },
      spec: { selector: { app: `app-${i}` }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    } as KubeObject),
  );
  objects.push({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'calico-node', namespace: 'kube-system', labels: { 'k8s-app': 'calico-node' } },
    spec: { selector: { matchLabels: { 'k8s-app': 'calico-node' } }, template: { metadata: { labels: { 'k8s-app': 'calico-node' } }, spec: { containers: [{ name: 'calico-node', image: 'calico/node:v3.27.0' }] } } },
  } as KubeObject);
  return objects;
}

async function peakRssMb(pid: number | undefined): Promise<number> {
  if (!pid) return NaN;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

async function main(): Promise<void> {
  const runId = randomBytes(4).toString('hex');
  const db = await createBenchDatabase('fleetgate_bench_inventory');
  let sim: Simulator | undefined;
  let apiProc: ChildProcess | undefined;
  let workerProc: ChildProcess | undefined;
  const sql = new pg.Client({ connectionString: db.url });
  try {
    await run(process.execPath, ['scripts/db.mjs', 'migrate'], { env: { ...process.env, DATABASE_URL: db.url } });
    await sql.connect();
    const names = Array.from({ length: N }, (_, i) => `bench-s${String(i + 1).padStart(5, '0')}`);
    let t = Date.now();
    sim = await startSimulator({ clusters: names.map((name) => ({ name, labels: { bench: 'yes' }, namespaces: [...NAMESPACES, 'kube-system'].map((n) => ({ name: n })), objects: workload() })) });
    log(`simulator: ${N} clusters x ${PODS} pods in ${Date.now() - t} ms`);

    const port = await freePort();
    const adminToken = `fg_bench_${randomBytes(16).toString('hex')}`;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      PORT: String(port),
      FLEETGATE_MASTER_KEY: randomBytes(32).toString('base64'),
      FLEETGATE_ADMIN_TOKEN: adminToken,
      FLEETGATE_QUEUE_PREFIX: `bench-inventory-${runId}`,
      FLEETGATE_PROBE_INTERVAL_SECONDS: '0',
      FLEETGATE_DRIFT_INTERVAL_SECONDS: '0',
      FLEETGATE_CLUSTER_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'warn',
    };
    apiProc = await startProcess('api', 'apps/api/dist/main.js', env, /listening on/, nodeArgsFor('api'));
    const base = `http://127.0.0.1:${port}/api/v1`;
    const call = apiCaller(base, adminToken);
    t = Date.now();
    const ca = Buffer.from(sim.caPem).toString('base64');
    await mapLimit(names, 16, async (name) => {
      await call('POST', '/clusters', { name, role: 'seed', labels: { bench: 'yes' }, credentials: { server: sim!.serverUrl(name), caData: ca, token: sim!.cluster(name).token } });
    });
    log(`registered ${N} clusters in ${Date.now() - t} ms`);

    workerProc = await startProcess('worker', 'apps/worker/dist/main.js', env, /worker (started|ready)|Nest application successfully started|scheduled drift scans are off/i, nodeArgsFor('worker'));
    const requestsBefore = sim.requests;
    const started = new Date();
    const t0 = performance.now();
    const res = await call('POST', '/drift/scans', { labelSelector: 'bench=yes' });
    const scanIds = res.scanIds as string[];
    await until('every inventory', async () => (Number((await sql.query("SELECT count(*) AS n FROM cluster_inventories WHERE observed_at >= $1 AND status = 'ok'", [started])).rows[0].n) >= N ? true : undefined), 900_000);
    const inventoryMs = performance.now() - t0;
    await until('the drift scans', async () => (Number((await sql.query("SELECT count(*) AS n FROM drift_scans WHERE id = ANY($1) AND status IN ('succeeded', 'unreachable', 'failed')", [scanIds])).rows[0].n) >= N ? true : undefined), 900_000);
    const allMs = performance.now() - t0;
    const stats = (await sql.query("SELECT sum(pod_count) AS pods, sum(service_count) AS services, avg(pg_column_size(snapshot)) AS bytes, count(*) FILTER (WHERE enforcement = 'enforced') AS enforced, count(*) FILTER (WHERE array_length(truncated, 1) > 0) AS truncated FROM cluster_inventories")).rows[0] as Record<string, string>;
    const rss = await peakRssMb(workerProc.pid);
    log(
      `full fleet inventory: ${N} clusters x ${PODS} pods in ${(inventoryMs / 1000).toFixed(2)} s (${Math.round(N / (inventoryMs / 1000))} clusters/s); ` +
        `with the drift scans ${(allMs / 1000).toFixed(2)} s; ${((sim.requests - requestsBefore) / N).toFixed(2)} requests/cluster (inventory + drift); ` +
        `stored ${stats.pods} pods, ${stats.services} services, ${Math.round(Number(stats.bytes))} B/snapshot (compressed); enforced ${stats.enforced}/${N}; truncated ${stats.truncated}; worker peak RSS ${rss.toFixed(0)} MB`,
    );
  } finally {
    await stop(workerProc);
    await stop(apiProc);
    await sim?.close();
    await sql.end().catch(() => undefined);
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
