#!/usr/bin/env node
// `npm run keys:rotate`: re-encrypts every stored credential (and every stored idempotent
// response) under the current FLEETGATE_MASTER_KEY. Procedure (see README):
//   1. NEW=$(npm run --silent keys:rotate -- --new-key)      # or: openssl rand -base64 32
//   2. restart API and worker with FLEETGATE_MASTER_KEY=$NEW FLEETGATE_PREVIOUS_MASTER_KEYS=$OLD
//   3. FLEETGATE_MASTER_KEY=$NEW FLEETGATE_PREVIOUS_MASTER_KEYS=$OLD npm run keys:rotate
//   4. drop $OLD from FLEETGATE_PREVIOUS_MASTER_KEYS and restart.
// Needs `npm run build` (it runs the built @fleetgate/core).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv.includes('--new-key')) {
  process.stdout.write(`${randomBytes(32).toString('base64')}\n`);
  process.exit(0);
}
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(
    'usage: FLEETGATE_MASTER_KEY=<new> FLEETGATE_PREVIOUS_MASTER_KEYS=<old>[,<older>] npm run keys:rotate\n' +
      '       npm run keys:rotate -- --new-key   (prints a fresh 32-byte base64 key)\n',
  );
  process.exit(0);
}
if (!existsSync(join(root, 'libs', 'core', 'dist', 'index.js'))) {
  console.error('keys:rotate runs the built code: run `npm run build` first.');
  process.exit(1);
}

const { NestFactory } = await import('@nestjs/core');
const core = await import('@fleetgate/core');

let config;
try {
  config = core.loadConfig(process.env);
} catch (error) {
  if (error instanceof core.ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
const app = await NestFactory.createApplicationContext(core.CoreModule.forRoot(config), { logger: ['error', 'warn'] });
try {
  const result = await app.get(core.KeyRotationService).rotate(core.systemActor('keys-rotate'));
  console.log(
    `keys:rotate: current key ${result.keyId}; re-encrypted ${result.clusters} cluster credential(s) and ` +
      `${result.idempotencyRecords} stored response(s).`,
  );
  if (result.remaining > 0) {
    console.error(`keys:rotate: ${result.remaining} row(s) are still under another key (a process still runs with the old key?); run it again.`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`keys:rotate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await app.close();
}
