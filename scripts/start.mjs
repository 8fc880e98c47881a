#!/usr/bin/env node
// `npm start` (API + worker), `npm run start:api`, `npm run start:worker`: for real use.
// Finds or starts Postgres and Redis, creates the database, applies pending migrations, builds
// when a build is missing, then runs the built apps in the foreground. Configuration comes from the
// environment (DATABASE_URL, REDIS_URL, PORT, FLEETGATE_MASTER_KEY, FLEETGATE_ADMIN_TOKEN,
// LOG_LEVEL; see README); the apps stop with a message naming any missing or malformed variable.
// Ctrl-C/SIGTERM stops every child; if one child dies, the others are stopped and we exit with its code.
import { join } from 'node:path';
import { ROOT, applyMigrations } from './lib/migrate.mjs';
import { Supervisor, buildAll, missingBuilds, nodeArgsFor } from './lib/processes.mjs';
import { ServiceError, ensureServices } from './lib/services.mjs';

const APPS = ['api', 'worker'];

function fail(step, error) {
  console.error(`\nfleetgate: ${step} failed.\n${error instanceof ServiceError ? error.message : (error?.message ?? error)}`);
  process.exit(1);
}

const which = process.argv[2];
if (which !== undefined && !APPS.includes(which)) {
  console.error(`usage: node scripts/start.mjs [${APPS.join('|')}]`);
  process.exit(2);
}
const apps = which ? [which] : APPS;

let services;
try {
  services = await ensureServices({ log: (m) => console.log(m) });
} catch (error) {
  fail('Finding Postgres and Redis', error);
}

try {
  const { appliedMigrationNames } = await applyMigrations(services.databaseUrl);
  if (appliedMigrationNames.length) console.log(`Applied migrations: ${appliedMigrationNames.join(', ')}`);
} catch (error) {
  fail('Applying database migrations', error);
}

if (missingBuilds(ROOT, apps).length) {
  console.log('No build found: building (npx nx run-many -t build)…');
  if (!buildAll(ROOT)) fail('Building', new Error('`npx nx run-many -t build` failed (see above).'));
}

const env = { ...process.env, DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl };
const supervisor = new Supervisor();
supervisor.handleSignals(() => process.exit(0));
for (const app of apps) supervisor.start(app, process.execPath, [...nodeArgsFor(app), join(ROOT, 'apps', app, 'dist', 'main.js')], { env, cwd: ROOT });

const { name, code, signal } = await supervisor.firstExit;
console.error(`fleetgate: ${name} exited (${signal ?? `code ${code}`}); stopping the rest.`);
await supervisor.stopAll();
process.exit(code ?? 1);
