// Start-up: the bootstrap admin token (from FLEETGATE_ADMIN_TOKEN, or generated once and printed
// once), and configuration errors that stop the process naming the variable.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { CoreModule, TokenService, loadConfig } from '@fleetgate/core';
import { createTestDatabase, testRedis, type TestDatabase, type TestRedis } from '@fleetgate/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomKey, testEnv } from './support/api-app.js';

const root = join(import.meta.dirname, '..', '..');
const built = existsSync(join(root, 'apps', 'api', 'dist', 'main.js')) && existsSync(join(root, 'libs', 'core', 'dist', 'index.js'));
let db: TestDatabase;
let redis: TestRedis;

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), testRedis()]);
});
afterAll(async () => {
  await db?.drop();
  await redis?.cleanup();
});

async function adminRows(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ name: string; role: string; token_hash: string }>("SELECT name, role, token_hash FROM api_tokens WHERE role = 'admin' ORDER BY created_at")).rows;
  } finally {
    await c.end();
  }
}

describe('bootstrap admin', () => {
  it('without FLEETGATE_ADMIN_TOKEN creates one admin token on first start only, then binds a configured one', async () => {
    const env = testEnv(db, redis);
    delete env.FLEETGATE_ADMIN_TOKEN;
    const ctx = await NestFactory.createApplicationContext(CoreModule.forRoot(loadConfig(env)), { logger: false });
    try {
      const tokens = ctx.get(TokenService);
      const first = await tokens.bootstrapAdmin();
      expect(first.created).toBe(true);
      expect(first.token).toMatch(/^fg_/);
      expect(await tokens.authenticate(first.token)).toMatchObject({ name: 'admin', role: 'admin' });
      expect(await tokens.bootstrapAdmin()).toEqual({ created: false });
      const rows = await adminRows(db.url);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(first.token!);
    } finally {
      await ctx.close();
    }
    const configured = 'configured-admin-token-0123456789';
    const ctx2 = await NestFactory.createApplicationContext(CoreModule.forRoot(loadConfig({ ...env, FLEETGATE_ADMIN_TOKEN: configured })), { logger: false });
    try {
      const tokens = ctx2.get(TokenService);
      expect((await tokens.bootstrapAdmin()).created).toBe(true);
      expect((await tokens.authenticate(configured)).role).toBe('admin');
      expect(await tokens.bootstrapAdmin()).toEqual({ created: false });
      await expect(tokens.authenticate('configured-admin-token-wrong')).rejects.toThrow(/Invalid or revoked/);
    } finally {
      await ctx2.close();
    }
  });
});

describe.skipIf(!built)('the built processes (needs npm run build)', () => {
  it.each([
    ['api', 'FLEETGATE_MASTER_KEY', {}],
    ['api', 'PORT', { FLEETGATE_MASTER_KEY: randomKey(), PORT: 'http' }],
    ['worker', 'REDIS_URL', { FLEETGATE_MASTER_KEY: randomKey(), REDIS_URL: 'memcached://x' }],
    ['worker', 'FLEETGATE_MASTER_KEY', { FLEETGATE_MASTER_KEY: 'dG9vIHNob3J0' }],
  ] as const)('%s refuses to start on bad config, naming %s', (app, variable, env) => {
    const r = spawnSync(process.execPath, [`apps/${app}/dist/main.js`], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Invalid configuration: ${variable}:`);
  });

  it('the API prints a generated admin token once, to the terminal and not to the log', async () => {
    const fresh = await createTestDatabase();
    try {
      const env = { ...testEnv(fresh, redis), PORT: '0', LOG_LEVEL: 'info' } as Record<string, string>;
      delete env.FLEETGATE_ADMIN_TOKEN;
      const run = () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['apps/api/dist/main.js'], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env } });
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('fleetgate api listening')) child.kill('SIGTERM');
          });
          child.stderr.on('data', (d: Buffer) => (out += d.toString()));
          child.on('exit', () => resolve(out));
          child.on('error', reject);
        });
      const first = await run();
      const tokens = first.match(/fg_[A-Za-z0-9_-]{40,}/g) ?? [];
      expect(tokens).toHaveLength(1);
      const logLines = first.split('\n').filter((l) => l.startsWith('{'));
      expect(logLines.length).toBeGreaterThan(0);
      expect(logLines.join('\n')).not.toContain(tokens[0]);
      const second = await run();
      expect(second).not.toMatch(/fg_[A-Za-z0-9_-]{40,}/);
      expect(second).toContain('fleetgate api listening');
    } finally {
      await fresh.drop();
    }
  });
});
