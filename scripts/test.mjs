#!/usr/bin/env node
// `npm test`: the whole suite, in the order a reviewer would want failures reported:
// lint (incl. module boundaries), typecheck, build, the committed GraphQL schema, then every
// Vitest project (unit, integration, end-to-end, contract). Postgres and Redis are found or
// started by test/global-setup.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CHECKPOINT_DISABLE: '1' };

function step(title, cmd, args) {
  console.log(`\n=== ${title}: ${[cmd, ...args].join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  console.log(`=== ${title}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}

step('lint', 'npm', ['run', '--silent', 'lint']);
step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
step('build', 'npx', ['nx', 'run-many', '-t', 'build', '--output-style=static', '--skip-nx-cache']);
if (existsSync(join(root, 'scripts', 'schema-gql.mjs'))) step('graphql schema', 'node', ['scripts/schema-gql.mjs', '--check']);

mkdirSync(join(root, '.fleetgate'), { recursive: true });
const report = join(root, '.fleetgate', 'vitest-report.json');
const vitest = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
  cwd: root, env, stdio: 'inherit',
});
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped`);
}
process.exit(vitest.status ?? 1);
