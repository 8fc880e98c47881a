import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.error.js';
import { loadConfig } from './config.service.js';

const key = randomBytes(32).toString('base64');
const base = { FLEETGATE_MASTER_KEY: key };

function errorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/fleetgate',
      redisUrl: 'redis://127.0.0.1:6379',
      port: 3000,
      host: '127.0.0.1',
      adminToken: undefined,
      logLevel: 'info',
      queuePrefix: 'fleetgate',
      probeIntervalSeconds: 60,
      previousMasterKeys: [],
    });
    expect(c.masterKey.equals(Buffer.from(key, 'base64'))).toBe(true);
  });

  it('HOST: any IP or host name; 0.0.0.0 for containers; garbage names HOST', () => {
    expect(loadConfig({ ...base, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ ...base, HOST: '::' }).host).toBe('::');
    expect(() => loadConfig({ ...base, HOST: 'not a host!' })).toThrow(/HOST/);
  });

  it('reads every variable', () => {
    const old = randomBytes(32).toString('base64');
    const c = loadConfig({
      ...base,
      DATABASE_URL: 'postgres://u:p@db:5433/x',
      REDIS_URL: 'rediss://r:6380/2',
      PORT: '8080',
      FLEETGATE_ADMIN_TOKEN: 'a-long-enough-admin-token',
      LOG_LEVEL: 'debug',
      FLEETGATE_QUEUE_PREFIX: 'fgtest-abc',
      FLEETGATE_PREVIOUS_MASTER_KEYS: ` ${old} `,
      FLEETGATE_PROBE_INTERVAL_SECONDS: '0',
    });
    expect(c).toMatchObject({ databaseUrl: 'postgres://u:p@db:5433/x', redisUrl: 'rediss://r:6380/2', port: 8080, adminToken: 'a-long-enough-admin-token', logLevel: 'debug', queuePrefix: 'fgtest-abc', probeIntervalSeconds: 0 });
    expect(c.previousMasterKeys).toHaveLength(1);
  });

  it.each([
    [{}, 'FLEETGATE_MASTER_KEY', /required/],
    [{ FLEETGATE_MASTER_KEY: '' }, 'FLEETGATE_MASTER_KEY', /required/],
    [{ FLEETGATE_MASTER_KEY: randomBytes(16).toString('base64') }, 'FLEETGATE_MASTER_KEY', /32 bytes, got 16/],
    [{ FLEETGATE_MASTER_KEY: 'not base64 at all!' }, 'FLEETGATE_MASTER_KEY', /base64/],
    [{ ...base, FLEETGATE_PREVIOUS_MASTER_KEYS: 'abc' }, 'FLEETGATE_PREVIOUS_MASTER_KEYS', /32 bytes/],
    [{ ...base, DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL', /postgresql:/],
    [{ ...base, DATABASE_URL: 'not a url' }, 'DATABASE_URL', /URL/],
    [{ ...base, REDIS_URL: 'http://r' }, 'REDIS_URL', /redis:/],
    [{ ...base, PORT: 'eighty' }, 'PORT', /whole number/],
    [{ ...base, PORT: '70000' }, 'PORT', /between 0 and 65535/],
    [{ ...base, LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /one of/],
    [{ ...base, FLEETGATE_ADMIN_TOKEN: 'short' }, 'FLEETGATE_ADMIN_TOKEN', /16 characters/],
    [{ ...base, FLEETGATE_QUEUE_PREFIX: 'a:b' }, 'FLEETGATE_QUEUE_PREFIX', /letters/],
    [{ ...base, FLEETGATE_PROBE_INTERVAL_SECONDS: '-1' }, 'FLEETGATE_PROBE_INTERVAL_SECONDS', /whole number/],
  ])('names the variable: %j -> %s', (env, variable, message) => {
    const error = errorOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).toMatch(message);
  });

  it('drift watches: on by default with a 15 s lease; off, or another lease, when asked; a bad value names its variable', () => {
    expect(loadConfig(base).driftWatch).toEqual({ enabled: true, leaseSeconds: 15 });
    expect(loadConfig({ ...base, FLEETGATE_DRIFT_WATCH: 'off', FLEETGATE_DRIFT_WATCH_LEASE_SECONDS: '3' }).driftWatch).toEqual({ enabled: false, leaseSeconds: 3 });
    expect(errorOf({ ...base, FLEETGATE_DRIFT_WATCH: 'yes' }).message).toMatch(/FLEETGATE_DRIFT_WATCH.*"on" or "off"/);
    expect(errorOf({ ...base, FLEETGATE_DRIFT_WATCH_LEASE_SECONDS: '1' }).message).toMatch(/FLEETGATE_DRIFT_WATCH_LEASE_SECONDS.*between 2 and 600/);
  });

  it('never puts a secret value in the message', () => {
    const secret = randomBytes(20).toString('base64');
    expect(errorOf({ FLEETGATE_MASTER_KEY: secret }).message).not.toContain(secret);
  });
});
