// The chaos and fuzz run: its own Postgres and Redis, the built API and worker as separate
// processes, the simulator in this process; then worker SIGKILLs, a Redis kill -9, a Postgres
// stop/start, API SIGKILLs around an idempotent POST, simulator faults and REST/GraphQL fuzzing;
// finally one table of what broke. `runChaos` is used by `npm run chaos` (main.ts) and by the
// quick profile inside `npm test` (chaos.e2e-spec.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ClusterSpec, type Simulator, generateFleet, registerFleet, startSimulator } from '@fleetgate/kube-sim';
import pg from 'pg';
import { applyMigrations } from '../../scripts/lib/migrate.mjs';
import { nodeArgsFor } from '../../scripts/lib/processes.mjs';
import { freePort, pct } from '../bench/support/bench.js';
import { fuzzGraphql, fuzzRest } from './support/fuzz.js';
import { type Call, Recorder } from './support/http.js';
import { OwnPostgres, OwnRedis } from './support/own-services.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP = (name: string) => join(ROOT, 'apps', name, 'dist', 'main.js');

export interface Profile {
  name: string;
  seeds: number;
  usersPerSeed: number;
  restCases: number;
  graphqlCases: number;
  outageMs: number;
  apiKillDelaysMs: number[];
  maxConcurrency: number;
  /** the longest a rollout may take once nothing is broken any more */
  convergeMs: number;
  seed: number;
}

export const PROFILES: Record<'quick' | 'full', Profile> = {
  quick: { name: 'quick', seeds: 2, usersPerSeed: 24, restCases: 400, graphqlCases: 100, outageMs: 5_000, apiKillDelaysMs: [5, 60], maxConcurrency: 10, convergeMs: 60_000, seed: 16 },
  full: { name: 'full', seeds: 10, usersPerSeed: 99, restCases: 5_000, graphqlCases: 1_000, outageMs: 30_000, apiKillDelaysMs: [0, 5, 20, 60, 150, 400], maxConcurrency: 50, convergeMs: 300_000, seed: 16 },
};

export interface ChaosReport {
  profile: string;
  clusters: number;
  rollouts: number;
  targets: number;
  lost: number;
  duplicated: number;
  stuck: number;
  idempotency: { attempts: number; duplicated: number; stuckKeys: number };
  failedWithoutRequests: number;
  stateMismatches: string[];
  driftFindingsOpened: number;
  repairRollouts: number;
  workerLogLinesDuringRedisOutage: number;
  workerNonJsonLines: number;
  statuses: Record<string, number>;
  errors: Call[];
  /** answers >= 500 that are the right answer: 503 with Retry-After while Postgres or Redis is down */
  expected503: number;
  hung: number;
  p99: Record<string, { calls: number; p99Ms: number; maxMs: number }>;
  durationMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms: number, every = 200): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) return undefined;
    await sleep(every);
  }
}

/** Valid, distinct networks for every simulated cluster (the generator's services CIDR runs out of octets past 26 users). */
function withValidNetworks(clusters: ClusterSpec[]): ClusterSpec[] {
  let i = 0;
  for (const c of clusters) {
    const meta = c.meta as { role?: string; networks?: Record<string, string> };
    if (meta.role !== 'user') continue;
    meta.networks = { pods: `10.${20 + (i % 200)}.0.0/16`, services: `10.${230 + (Math.floor(i / 16) % 26)}.${(i % 16) * 16}.0/20`, nodes: `172.${16 + (i % 16)}.${i % 256}.0/24` };
    i++;
  }
  return clusters;
}

class App {
  child: ChildProcess | undefined;
  lines: { at: number; stream: 'out' | 'err'; line: string }[] = [];

  constructor(
    readonly name: 'api' | 'worker',
    private readonly env: Record<string, string>,
    private readonly ready: RegExp,
  ) {}

  start(): Promise<void> {
    const child = spawn(process.execPath, [...nodeArgsFor(this.name), APP(this.name)], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    return new Promise((resolve, reject) => {
      let started = false;
      const onLine = (stream: 'out' | 'err') => (b: Buffer) => {
        for (const line of b.toString().split('\n')) {
          if (!line) continue;
          this.lines.push({ at: Date.now(), stream, line });
          if (!started && this.ready.test(line)) {
            started = true;
            resolve();
          }
        }
      };
      child.stdout?.on('data', onLine('out'));
      child.stderr?.on('data', onLine('err'));
      child.once('exit', (code, signal) => {
        if (!started) reject(new Error(`${this.name} exited (${code ?? signal}): ${this.lines.slice(-20).map((l) => l.line).join('\n')}`));
      });
    });
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
    });
  }
}

export const PHASES = ['worker', 'redis', 'postgres', 'api', 'sim', 'fuzz'] as const;
export type Phase = (typeof PHASES)[number];

export async function runChaos(profile: Profile, log: (line: string) => void = () => undefined, phases: readonly Phase[] = PHASES): Promise<ChaosReport> {
  const t0 = Date.now();
  const on = (p: Phase) => phases.includes(p);
  for (const app of ['api', 'worker']) if (!existsSync(APP(app))) throw new Error(`${APP(app)} is missing: build first (npx nx run-many -t build)`);
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    log(`chaos: starting own Postgres and Redis`);
    const [postgres, redis] = await Promise.all([OwnPostgres.create(), OwnRedis.create()]);
    cleanups.push(() => postgres.destroy(), () => redis.destroy());
    await applyMigrations(postgres.url);
    const db = new pg.Pool({ connectionString: postgres.url, max: 3 });
    db.on('error', () => undefined);
    cleanups.push(() => db.end().catch(() => undefined));
    const sql = async <T extends pg.QueryResultRow>(text: string, values?: unknown[]) => (await db.query<T>(text, values)).rows;

    const port = await freePort();
    const adminToken = `fg_chaos_admin_${randomBytes(16).toString('hex')}`;
    const env: Record<string, string> = {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      PORT: String(port),
      FLEETGATE_MASTER_KEY: randomBytes(32).toString('base64'),
      FLEETGATE_ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'info',
      FLEETGATE_PROBE_INTERVAL_SECONDS: '0',
      FLEETGATE_DRIFT_INTERVAL_SECONDS: '15',
      FLEETGATE_DRIFT_JITTER_SECONDS: '2',
      FLEETGATE_CLUSTER_TIMEOUT_MS: '3000',
    };
    const api = new App('api', env, /listening on/);
    const worker = new App('worker', env, /worker started/);
    cleanups.push(() => api.kill(), () => worker.kill());
    const sim: Simulator = await startSimulator({ host: '127.0.0.1', port: 0, clusters: withValidNetworks(generateFleet({ seeds: profile.seeds, usersPerSeed: profile.usersPerSeed })) });
    cleanups.push(() => sim.close());
    await Promise.all([api.start(), worker.start()]);
    const rec = new Recorder(`http://127.0.0.1:${port}`, adminToken);
    log(`chaos: registering ${sim.clusters().length} simulated clusters`);
    await registerFleet(sim, { url: rec.baseUrl, token: adminToken, retryForMs: 30_000 });
    const seeds = sim.clusters().filter((c) => c.meta.role === 'seed').map((c) => c.name);

    const idem = { attempts: 0, duplicated: 0, stuckKeys: 0 };
    let redisDownAt = 0;
    let redisUpAt = 0;
    const strategy = { waves: [{ percent: 100 }], maxConcurrency: profile.maxConcurrency, failureBudget: { percent: 100, action: 'pause' } };
    let enabled = false;
    const startRollout = async (extra: Record<string, string> = {}, timeoutMs?: number) => {
      enabled = !enabled;
      const r = await rec.json('POST', '/api/v1/feature-gates/apiserverNetworkPolicy/rollouts', { enabled, role: 'user', strategy }, { headers: extra, ...(timeoutMs ? { timeoutMs } : {}) });
      return r.status === 202 ? (r.body as { id: string }).id : undefined;
    };
    const allTerminal = async (ms: number) => until('every rollout to finish', async () => ((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM rollouts WHERE status NOT IN ('succeeded','failed','cancelled')`))[0]?.n === 0 ? true : undefined), ms, 500);
    const targetsDoneSince = async (id: string) => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM rollout_targets WHERE rollout_id = $1 AND state IN ('succeeded','failed','skipped')`, [id]))[0]?.n ?? 0;

    /** Requests an operator's scripts would send while something is broken. */
    const probeDuring = async (ms: number, withPost: boolean) => {
      const end = Date.now() + ms;
      let posted = !withPost;
      while (Date.now() < end) {
        const batch: Promise<unknown>[] = [
          rec.call('GET', '/api/v1/clusters?limit=5'),
          rec.call('GET', '/api/v1/rollouts?limit=5'),
          rec.call('GET', '/api/v1/clusters?limit=1', { token: 'fg_wrong_token_0123456789abcdef' }),
          rec.gql('{ clusters(first: 2) { totalCount } }'),
        ];
        if (!posted) {
          posted = true;
          batch.push(rec.json('POST', '/api/v1/feature-gates/apiserverNetworkPolicy/rollouts', { enabled, role: 'user', strategy, dryRun: true }, { timeoutMs: 30_000 }));
        }
        await Promise.all(batch);
        await sleep(250);
      }
    };

if (on('worker')) {
    // 1. worker SIGKILL x3 mid-rollout
    rec.phase = 'worker SIGKILL x3';
    log(`chaos: ${rec.phase}`);
    for (const s of seeds) sim.cluster(s).faults = { latency: { kind: 'uniform', minMs: 20, maxMs: 120 } };
    const r1 = await startRollout();
    if (r1) {
      for (let k = 0; k < 3; k++) {
        const before = await targetsDoneSince(r1);
        await until('targets to progress', async () => ((await targetsDoneSince(r1)) > before ? true : undefined), 20_000, 50);
        await worker.kill('SIGKILL');
        await worker.start();
      }
    }
    await allTerminal(profile.convergeMs);

}

    if (on('redis')) {
    // 2. Redis kill -9 and restart, with a rollout running
    rec.phase = 'Redis kill -9';
    log(`chaos: ${rec.phase}`);
    const r2 = await startRollout();
    if (r2) await until('the rollout to start', async () => ((await targetsDoneSince(r2)) > 0 ? true : undefined), 20_000, 50);
    redisDownAt = Date.now();
    await redis.kill9();
    await probeDuring(profile.outageMs, true);
    await redis.start();
    redisUpAt = Date.now();
    rec.phase = 'after Redis restart';
    await Promise.all([rec.call('GET', '/api/v1/clusters?limit=1'), startRollout()]);
    await allTerminal(profile.convergeMs);

}

    if (on('postgres')) {
    // 3. Postgres stop and start
    rec.phase = 'Postgres stopped';
    log(`chaos: ${rec.phase}`);
    postgres.stop('fast');
    await probeDuring(profile.outageMs, true);
    postgres.start();
    rec.phase = 'after Postgres start';
    await until('the API to answer again', async () => ((await rec.call('GET', '/api/v1/clusters?limit=1')).status === 200 ? true : undefined), 30_000, 500);
    await allTerminal(profile.convergeMs);

}

    if (on('api')) {
    // 4. API SIGKILL around a POST with an Idempotency-Key, then the retry
    rec.phase = 'API SIGKILL + retry';
    log(`chaos: ${rec.phase}`);
    for (const delay of profile.apiKillDelaysMs) {
      idem.attempts++;
      const key = `chaos-${randomUUID()}`;
      const body: { enabled: boolean; role: string; strategy: typeof strategy } = { enabled: !enabled, role: 'user', strategy };
      const [{ n: before = 0 } = {}] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM rollouts');
      const inFlight = rec.json('POST', '/api/v1/feature-gates/apiserverNetworkPolicy/rollouts', body, { headers: { 'idempotency-key': key }, route: 'POST (killed) /feature-gates/:key/rollouts' });
      await sleep(delay);
      await api.kill('SIGKILL');
      await inFlight;
      await api.start();
      // retry like a client would, for a bounded time
      const answered = await until('the retry to be answered', async () => {
        const r = await rec.json('POST', '/api/v1/feature-gates/apiserverNetworkPolicy/rollouts', body, { headers: { 'idempotency-key': key } });
        return r.status === 202 ? r : undefined;
      }, 10_000, 1_000);
      if (!answered) idem.stuckKeys++;
      else enabled = body.enabled;
      // the same key much later (past the in-flight staleness window) must not start another
      await sql(`UPDATE idempotency_records SET created_at = created_at - interval '1 hour' WHERE key = $1`, [key]);
      await rec.json('POST', '/api/v1/feature-gates/apiserverNetworkPolicy/rollouts', body, { headers: { 'idempotency-key': key } });
      const [{ n: after = 0 } = {}] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM rollouts');
      if (after - before > 1) idem.duplicated += after - before - 1;
    }
    await allTerminal(profile.convergeMs);

}

    if (on('sim')) {
    // 5. simulator faults: 5xx, hangs, 429 with Retry-After on one seed; 403 on writes on another
    rec.phase = 'simulator faults';
    log(`chaos: ${rec.phase}`);
    sim.cluster(seeds[0]!).faults = { errorRate: 0.2, errorStatus: 503, throttleRate: 0.2, retryAfterSeconds: 1, hang: 0.05 };
    if (seeds[1]) sim.cluster(seeds[1]).faults = { forbidWrites: true };
    await startRollout();
    await allTerminal(profile.convergeMs);
    for (const s of seeds) sim.cluster(s).faults = {};

}

    if (on('fuzz')) {
    // 6. fuzzing
    rec.phase = 'REST fuzz';
    log(`chaos: ${rec.phase} (${profile.restCases} cases)`);
    await fuzzRest(rec, profile.restCases, profile.seed);
    rec.phase = 'GraphQL fuzz';
    log(`chaos: ${rec.phase} (${profile.graphqlCases} cases)`);
    await fuzzGraphql(rec, join(ROOT, 'apps', 'api', 'schema.gql'), profile.graphqlCases, profile.seed);

}

        // 7. a last rollout with nothing broken, then the books
    rec.phase = 'final';
    await startRollout();
    const settled = await allTerminal(profile.convergeMs);
    log(`chaos: checking${settled ? '' : ' (some rollouts never finished)'}`);

    const [counts] = await sql<{ rollouts: number; targets: number }>('SELECT (SELECT count(*)::int FROM rollouts) AS rollouts, (SELECT count(*)::int FROM rollout_targets) AS targets');
    const [lost] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM rollout_targets t JOIN rollouts r ON r.id = t.rollout_id WHERE r.status IN ('succeeded','failed') AND t.state IN ('pending','queued','running')`);
    const [stuck] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM rollout_targets t JOIN rollouts r ON r.id = t.rollout_id WHERE r.status NOT IN ('succeeded','failed','cancelled')`);
    const [dup] = await sql<{ n: number }>(`SELECT coalesce(sum(n - 1), 0)::int AS n FROM (SELECT count(*) AS n FROM audit_events WHERE action LIKE 'rollout.target.%' GROUP BY subject, summary->>'cluster' HAVING count(*) > 1) d`);
    const [noRequests] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM rollout_targets WHERE state = 'failed' AND requests = 0 AND retries > 0`);
    const [drift] = await sql<{ findings: number; repairs: number }>(`SELECT (SELECT count(*)::int FROM drift_findings) AS findings, (SELECT count(*)::int FROM rollouts WHERE kind = 'repair') AS repairs`);

    // cluster state vs assigned state, object by object
    const assigned = await sql<{ target: string; namespace: string | null; name: string }>('SELECT target_cluster_name AS target, namespace, name FROM assigned_policies');
    const want = new Set(assigned.map((a) => `${a.target}/${a.namespace ?? ''}/${a.name}`));
    const have = new Set<string>();
    for (const c of sim.clusters()) {
      const items = (sim.cluster(c.name).listNetworkPolicies({}) as { items: { metadata: { namespace?: string; name: string; labels?: Record<string, string> } }[] }).items;
      for (const o of items) if (o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'fleetgate') have.add(`${c.name}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    }
    const stateMismatches = [...[...want].filter((k) => !have.has(k)).map((k) => `missing ${k}`), ...[...have].filter((k) => !want.has(k)).map((k) => `unexpected ${k}`)];

    const outage = (c: Call) => c.phase === 'Redis kill -9' || c.phase === 'Postgres stopped';
    const expected = (c: Call) => c.status === 503 && c.retryAfter && c.problem && outage(c);
    const statuses: Record<string, number> = {};
    for (const c of rec.calls) {
      const k = c.status === 0 ? (c.detail === 'timeout' ? 'timeout' : 'no answer') : String(c.status);
      statuses[k] = (statuses[k] ?? 0) + 1;
    }
    const p99: ChaosReport['p99'] = {};
    for (const phase of [...new Set(rec.calls.map((c) => c.phase))]) {
      const ms = rec.calls.filter((c) => c.phase === phase && !c.route.includes('(killed)')).map((c) => c.ms);
      p99[phase] = { calls: ms.length, p99Ms: Math.round(pct(ms, 99)), maxMs: Math.round(Math.max(...ms)) };
    }
    const workerRedis = worker.lines.filter((l) => l.at >= redisDownAt && l.at <= redisUpAt + 2_000);
    return {
      profile: profile.name,
      clusters: sim.clusters().length,
      rollouts: counts?.rollouts ?? 0,
      targets: counts?.targets ?? 0,
      lost: lost?.n ?? 0,
      duplicated: (dup?.n ?? 0) + idem.duplicated,
      stuck: stuck?.n ?? 0,
      idempotency: idem,
      failedWithoutRequests: noRequests?.n ?? 0,
      stateMismatches,
      driftFindingsOpened: drift?.findings ?? 0,
      repairRollouts: drift?.repairs ?? 0,
      workerLogLinesDuringRedisOutage: workerRedis.length,
      workerNonJsonLines: worker.lines.filter((l) => !l.line.startsWith('{') && !/worker started/.test(l.line)).length,
      statuses,
      errors: rec.calls.filter((c) => (c.status >= 500 && !expected(c)) || c.internal),
      expected503: rec.calls.filter(expected).length,
      hung: rec.calls.filter((c) => c.detail === 'timeout').length,
      p99,
      durationMs: Date.now() - t0,
    };
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  }
}

/** One table: the books, the status histogram with every unexpected >= 500, and p99 per phase. */
export function formatReport(r: ChaosReport): string {
  const rows: [string, string][] = [
    ['profile', `${r.profile} (${r.clusters} clusters, ${(r.durationMs / 1000).toFixed(0)} s)`],
    ['rollouts / targets', `${r.rollouts} / ${r.targets}`],
    ['lost targets', String(r.lost)],
    ['duplicated targets or rollouts', String(r.duplicated)],
    ['stuck targets', String(r.stuck)],
    ['idempotent POST + API SIGKILL', `${r.idempotency.attempts} attempts, ${r.idempotency.duplicated} duplicated, ${r.idempotency.stuckKeys} keys stuck`],
    ['cluster state vs assigned state', r.stateMismatches.length ? `${r.stateMismatches.length} differ (${r.stateMismatches.slice(0, 3).join(', ')})` : 'equal'],
    ['drift findings / repair rollouts (no external edit)', `${r.driftFindingsOpened} / ${r.repairRollouts}`],
    ['failed targets with requests=0, retries>0', String(r.failedWithoutRequests)],
    ['worker log lines during Redis outage (non-JSON overall)', `${r.workerLogLinesDuringRedisOutage} (${r.workerNonJsonLines})`],
    ['status codes', Object.entries(r.statuses).sort().map(([k, v]) => `${k}: ${v}`).join(', ')],
    ['503 + Retry-After during outages (expected)', String(r.expected503)],
    ['requests that hung (> 15 s)', String(r.hung)],
    ['answers >= 500 (unexpected)', String(r.errors.length)],
  ];
  for (const [phase, p] of Object.entries(r.p99)) rows.push([`p99 / max latency: ${phase}`, `${p.p99Ms} / ${p.maxMs} ms over ${p.calls} calls`]);
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `| ${k.padEnd(w)} | ${v}`);
  const errs = new Map<string, { n: number; sample: Call }>();
  for (const e of r.errors) {
    const k = `${e.phase} | ${e.status}${e.internal ? ' INTERNAL_SERVER_ERROR' : ''} | ${e.method} ${e.route}`;
    const cur = errs.get(k);
    errs.set(k, { n: (cur?.n ?? 0) + 1, sample: cur?.sample ?? e });
  }
  for (const [k, { n, sample }] of errs) lines.push(`|   ${n} x ${k}: ${(sample.detail ?? '').replace(/\s+/g, ' ').slice(0, 160)}`);
  return lines.join('\n');
}
