#!/usr/bin/env node
// `npm run sim -- --seeds 2 --users-per-seed 10 --out DIR [--register URL --token T]`:
// runs the built simulator app (apps/kube-sim/dist/main.js) in the foreground, building it
// first when the build is missing. Ctrl-C (SIGINT) or SIGTERM stops it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'apps', 'kube-sim', 'dist', 'main.js');

if (!existsSync(main)) {
  console.log('sim: building the simulator (npx nx run @fleetgate/kube-sim-app:build)');
  const b = spawnSync('npx', ['nx', 'run', '@fleetgate/kube-sim-app:build', '--output-style=static'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const child = spawn(process.execPath, [main, ...process.argv.slice(2)], { cwd: process.cwd(), stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
