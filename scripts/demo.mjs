#!/usr/bin/env node
/* global AbortSignal */
// `npm run demo`: from a fresh clone to a running fleetgate with a simulated fleet.
//   1. installs dependencies when node_modules is missing (npm ci)
//   2. finds or starts Postgres and Redis, creates the database, applies migrations
//   3. builds (nx run-many -t build; cached when nothing changed)
//   4. generates FLEETGATE_MASTER_KEY and FLEETGATE_ADMIN_TOKEN once into .fleetgate/demo.env (0600)
//   5. starts the API (PORT, default 3000) and the worker, waits for GET /readyz
//   6. when the simulator is built, starts a fleet (2 seeds × 10 user clusters) and registers it
//   7. prints the URLs and the admin token, stays in the foreground until Ctrl-C, stops everything.
// Only node: imports at the top level: the rest is loaded after step 1.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STATE_DIR = join(ROOT, '.fleetgate');
const DEMO_ENV = join(STATE_DIR, 'demo.env');
const SIM_DIR = join(STATE_DIR, 'sim');
const SIM_SNAPSHOT = join(STATE_DIR, 'sim-state.json');
const SEEDS = 2;
const USERS_PER_SEED = 10;

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const step = (msg) => console.log(`\n${bold('==>')} ${msg}`);

function fail(what, detail, hint) {
  console.error(`\n${bold('fleetgate demo: ' + what + ' failed.')}`);
  if (detail) console.error(String(detail).trim());
  if (hint) console.error(`\n${hint}`);
  process.exit(1);
}

// --- 1. dependencies -----------------------------------------------------------------------
const major = Number(process.versions.node.split('.')[0]);
if (major < 20) fail('Checking Node.js', `Node.js ${process.versions.node} is too old.`, 'Install Node.js 20.19 or newer.');

if (!existsSync(join(ROOT, 'node_modules', 'prisma')) || !existsSync(join(ROOT, 'node_modules', '.bin', 'nx'))) {
  step('Installing dependencies (npm ci)…');
  const r = spawnSync('npm', ['ci'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) fail('Installing dependencies', r.error?.message ?? `npm ci exited with ${r.status}`, 'Check your network access to the npm registry, then run `npm ci` yourself.');
}

const { ensureServices, redactUrl } = await import('./lib/services.mjs');
const { applyMigrations } = await import('./lib/migrate.mjs');
const { Supervisor, buildAll, nodeArgsFor, portIsFree, waitForHttpOk } = await import('./lib/processes.mjs');
const { loadDemoSecrets } = await import('./lib/demo-secrets.mjs');

// --- 2. services and database ----------------------------------------------------------------
step('Checking Postgres and Redis…');
let services;
try {
  services = await ensureServices({ log: (m) => console.log(`    ${m}`) });
} catch (error) {
  fail('Finding Postgres and Redis', error.message);
}
console.log(`    Postgres: ${redactUrl(services.databaseUrl)}\n    Redis:    ${redactUrl(services.redisUrl)}`);

step('Applying database migrations…');
try {
  const { appliedMigrationNames } = await applyMigrations(services.databaseUrl);
  console.log(appliedMigrationNames.length ? `    applied ${appliedMigrationNames.join(', ')}` : '    the database is up to date');
} catch (error) {
  fail('Applying database migrations', error.message, 'See `npm run db:status`.');
}

// --- 3. build ----------------------------------------------------------------------------------
step('Building (npx nx run-many -t build)…');
if (!buildAll(ROOT)) fail('Building', 'The build failed (see above).');

// --- 4. secrets --------------------------------------------------------------------------------
const { secrets, generated } = loadDemoSecrets(DEMO_ENV);
const keyFile = relative(process.cwd(), DEMO_ENV) || DEMO_ENV;
step(generated.length ? `Generated ${generated.join(' and ')} into ${keyFile} (mode 0600)` : `Using the secrets kept in ${keyFile}`);

// --- 5. API and worker -------------------------------------------------------------------------
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail('Reading PORT', `PORT=${process.env.PORT} is not a port number.`);
if (!(await portIsFree(port))) fail('Starting the API', `Port ${port} is already in use.`, `Stop whatever listens there, or run \`PORT=3001 npm run demo\`.`);

const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  ...secrets,
  DATABASE_URL: services.databaseUrl,
  REDIS_URL: services.redisUrl,
  PORT: String(port),
  LOG_LEVEL: process.env.LOG_LEVEL || 'info',
};

const supervisor = new Supervisor();
supervisor.handleSignals(() => {
  console.log('Stopped. Postgres and Redis keep running; run `npm run demo` again to continue where you left off.');
  process.exit(0);
});

step(`Starting the API on port ${port} and the worker…`);
supervisor.start('api', process.execPath, [...nodeArgsFor('api'), join(ROOT, 'apps', 'api', 'dist', 'main.js')], { env, cwd: ROOT });
supervisor.start('worker', process.execPath, [...nodeArgsFor('worker'), join(ROOT, 'apps', 'worker', 'dist', 'main.js')], { env, cwd: ROOT });

async function stopAndFail(what, detail, hint) {
  await supervisor.stopAll();
  fail(what, detail, hint);
}

const died = supervisor.firstExit.then((e) => e);
const ready = await waitForHttpOk(`${base}/readyz`, { timeoutMs: 90_000, abort: died });
if (!ready) {
  const exit = await Promise.race([died, new Promise((r) => setTimeout(() => r(null), 100))]);
  await stopAndFail(
    'Starting the API',
    exit ? `${exit.name} exited (${exit.signal ?? `code ${exit.code}`}) before ${base}/readyz answered; its output is above.` : `${base}/readyz did not answer 200 within 90 s.`,
  );
}
console.log(`    ${base}/readyz answers: Postgres and Redis are reachable from the API`);

// --- 6. simulated fleet ------------------------------------------------------------------------
const authHeaders = { authorization: `Bearer ${secrets.FLEETGATE_ADMIN_TOKEN}` };

/** How many clusters the API knows (pages through GET /api/v1/clusters). */
async function countClusters() {
  let count = 0;
  let cursor;
  do {
    const url = new URL(`${base}/api/v1/clusters`);
    url.searchParams.set('limit', '100');
    if (cursor) url.searchParams.set('cursor', cursor);
    const res = await fetch(url, { headers: authHeaders, signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`GET ${url.pathname} answered ${res.status}`);
    const body = await res.json();
    count += body.items?.length ?? 0;
    cursor = body.nextCursor ?? undefined;
  } while (cursor);
  return count;
}

let fleet = 'not started: the simulator is not built yet (apps/kube-sim/dist/main.js)';
const simMain = join(ROOT, 'apps', 'kube-sim', 'dist', 'main.js');
const simScript = join(ROOT, 'scripts', 'sim.mjs'); // `npm run sim`; the built app takes the same flags
if (existsSync(simMain)) {
  step(`Starting a simulated fleet (${SEEDS} seeds × ${USERS_PER_SEED} user clusters) and registering it…`);
  const expected = SEEDS + SEEDS * USERS_PER_SEED;
  const sim = supervisor.start(
    'sim',
    process.execPath,
    [
      existsSync(simScript) ? simScript : simMain,
      // The fleet's state (CA, tokens, policies) is kept across runs, so the clusters registered by
      // an earlier run keep working: load the snapshot when there is one, save it on Ctrl-C.
      ...(existsSync(SIM_SNAPSHOT) ? ['--snapshot', SIM_SNAPSHOT] : ['--seeds', String(SEEDS), '--users-per-seed', String(USERS_PER_SEED)]),
      '--save-snapshot', SIM_SNAPSHOT,
      '--out', SIM_DIR,
      '--register', base,
    ],
    // The admin token goes through the environment, not argv (which `ps` shows).
    { env: { ...process.env, FLEETGATE_TOKEN: secrets.FLEETGATE_ADMIN_TOKEN }, cwd: ROOT, critical: false },
  );
  let simExit = null;
  void sim.exited.then((e) => {
    simExit = e;
  });
  let registered = 0;
  const started = Date.now();
  while (Date.now() - started < 120_000 && registered < expected && !(simExit && simExit.code !== 0)) {
    await new Promise((r) => setTimeout(r, 1000));
    registered = await countClusters().catch(() => registered);
  }
  if (registered >= expected) fleet = `${registered} clusters registered; kubeconfigs in ${relative(process.cwd(), SIM_DIR)}/ (all.kubeconfig has every context)`;
  else if (simExit && simExit.code !== 0) fleet = `the simulator exited (code ${simExit.code}); see its output above. API and worker keep running.`;
  else fleet = `${registered} of ${expected} clusters registered after 120 s; see the sim output above.`;
  if (!(registered >= expected)) console.error(`    Simulated fleet: ${fleet}`);
}

// --- 7. ready ----------------------------------------------------------------------------------
console.log(`
${bold('fleetgate is running.')}

  Console       ${base}/          (sign in with the admin token below)
  REST API      ${base}/api/v1
                  curl -H "Authorization: Bearer ${secrets.FLEETGATE_ADMIN_TOKEN}" ${base}/api/v1/clusters
  GraphQL       ${base}/graphql   (a browser gets the explorer; clients POST JSON)
  OpenAPI       ${base}/api/docs          (JSON: ${base}/api/openapi.json)
  Health        ${base}/healthz  ${base}/readyz

  Admin token   ${secrets.FLEETGATE_ADMIN_TOKEN}
  Secrets kept  ${keyFile}  (FLEETGATE_MASTER_KEY encrypts cluster credentials; keep the file to keep them readable)
  Fleet         ${fleet}

Press Ctrl-C to stop.`);

const exit = await supervisor.firstExit;
await stopAndFail('Running', `${exit.name} exited unexpectedly (${exit.signal ?? `code ${exit.code}`}); its output is above. Everything else was stopped.`);
