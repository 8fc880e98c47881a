import { z } from 'zod';
import { ConfigError } from './config.error.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The whole typed configuration, parsed once at boot (CONVENTIONS rule 10). */
export interface FleetgateConfig {
  databaseUrl: string;
  redisUrl: string;
  port: number;
  /** Address the API binds: 127.0.0.1 by default; `0.0.0.0` (or `::`) in a container. */
  host: string;
  /** Current AES-256 master key (encrypts); previous keys only decrypt, for `keys:rotate`. */
  masterKey: Buffer;
  previousMasterKeys: Buffer[];
  /** Bootstrap admin token; when absent one is created on first start and printed once. */
  adminToken: string | undefined;
  logLevel: LogLevel;
  /** BullMQ key prefix in Redis; tests give every file its own. */
  queuePrefix: string;
  /** Seconds between scheduled health probes of every cluster (0 turns the schedule off). */
  probeIntervalSeconds: number;
  /** Timeout of one cluster call, in milliseconds. */
  clusterTimeoutMs: number;
  /** Port of the worker's metrics-only listener (GET /metrics); 0: none. */
  workerMetricsPort: number;
  /** Drift scans: every cluster every `intervalSeconds` (0: off) ± `jitterSeconds`; the contested guard. */
  drift: { intervalSeconds: number; jitterSeconds: number; contestedRepairs: number; contestedWindowMinutes: number };
  /**
   * Drift watches (worker): one watch per cluster's API server, held through a lease in Redis
   * that expires after `leaseSeconds` when its worker dies (renewed every third of it).
   */
  driftWatch: { enabled: boolean; leaseSeconds: number };
}

export type Env = Record<string, string | undefined>;

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/fleetgate';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

function decodeKey(variable: string, text: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) && !/^[A-Za-z0-9_-]+={0,2}$/.test(trimmed)) {
    throw new ConfigError(variable, 'must be 32 random bytes encoded as base64 (e.g. `openssl rand -base64 32`)');
  }
  const key = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
  if (key.length !== 32) {
    throw new ConfigError(variable, `must decode to exactly 32 bytes, got ${key.length} (use \`openssl rand -base64 32\`)`);
  }
  return key;
}

function url(variable: string, protocols: string[], fallback: string) {
  return z
    .string()
    .trim()
    .min(1)
    .default(fallback)
    .superRefine((value, ctx) => {
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be a URL (${protocols.join(' or ')})` });
        return;
      }
      if (!protocols.includes(parsed.protocol)) {
        ctx.addIssue({ code: 'custom', message: `must use ${protocols.join(' or ')}, got ${parsed.protocol}` });
      }
    })
    .describe(variable);
}

const intIn = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v), { message: 'must be a whole number' })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `must be between ${min} and ${max}` });

const envSchema = z.object({
  DATABASE_URL: url('DATABASE_URL', ['postgresql:', 'postgres:'], DEFAULT_DATABASE_URL),
  REDIS_URL: url('REDIS_URL', ['redis:', 'rediss:'], DEFAULT_REDIS_URL),
  PORT: intIn(0, 65535, 3000),
  HOST: z
    .string()
    .trim()
    .regex(/^(?:[0-9.]+|[0-9a-fA-F:]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/, { message: 'must be an IP address or a host name (e.g. 127.0.0.1, 0.0.0.0, ::)' })
    .default('127.0.0.1'),
  FLEETGATE_MASTER_KEY: z.string({ error: 'is required (32 random bytes, base64: `openssl rand -base64 32`)' }).min(1, {
    message: 'is required (32 random bytes, base64: `openssl rand -base64 32`)',
  }),
  FLEETGATE_PREVIOUS_MASTER_KEYS: z.string().optional(),
  FLEETGATE_ADMIN_TOKEN: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || v.length >= 16, { message: 'must be at least 16 characters' }),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  FLEETGATE_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1-64 letters, digits, "-" or "_"' })
    .default('fleetgate'),
  FLEETGATE_PROBE_INTERVAL_SECONDS: intIn(0, 86_400, 60),
  FLEETGATE_WORKER_METRICS_PORT: intIn(0, 65535, 0),
  FLEETGATE_CLUSTER_TIMEOUT_MS: intIn(100, 600_000, 10_000),
  FLEETGATE_DRIFT_INTERVAL_SECONDS: intIn(0, 86_400, 60),
  FLEETGATE_DRIFT_JITTER_SECONDS: intIn(0, 3_600, 5),
  FLEETGATE_DRIFT_CONTESTED_REPAIRS: intIn(1, 1_000, 3),
  FLEETGATE_DRIFT_CONTESTED_WINDOW_MINUTES: intIn(1, 10_080, 10),
  FLEETGATE_DRIFT_WATCH: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  FLEETGATE_DRIFT_WATCH_LEASE_SECONDS: intIn(2, 600, 15),
});

/**
 * Parses the environment once. Empty strings count as unset. Throws ConfigError naming the
 * first bad variable; nothing else in fleetgate reads process.env.
 */
export function loadConfig(env: Env): FleetgateConfig {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(variable, issue?.message ?? 'invalid');
  }
  const e = result.data;
  const masterKey = decodeKey('FLEETGATE_MASTER_KEY', e.FLEETGATE_MASTER_KEY);
  const previousMasterKeys = (e.FLEETGATE_PREVIOUS_MASTER_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((k) => decodeKey('FLEETGATE_PREVIOUS_MASTER_KEYS', k));
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    host: e.HOST,
    masterKey,
    previousMasterKeys,
    adminToken: e.FLEETGATE_ADMIN_TOKEN || undefined,
    logLevel: e.LOG_LEVEL,
    queuePrefix: e.FLEETGATE_QUEUE_PREFIX,
    probeIntervalSeconds: e.FLEETGATE_PROBE_INTERVAL_SECONDS,
    clusterTimeoutMs: e.FLEETGATE_CLUSTER_TIMEOUT_MS,
    workerMetricsPort: e.FLEETGATE_WORKER_METRICS_PORT,
    drift: {
      intervalSeconds: e.FLEETGATE_DRIFT_INTERVAL_SECONDS,
      jitterSeconds: e.FLEETGATE_DRIFT_JITTER_SECONDS,
      contestedRepairs: e.FLEETGATE_DRIFT_CONTESTED_REPAIRS,
      contestedWindowMinutes: e.FLEETGATE_DRIFT_CONTESTED_WINDOW_MINUTES,
    },
    driftWatch: { enabled: e.FLEETGATE_DRIFT_WATCH === 'on', leaseSeconds: e.FLEETGATE_DRIFT_WATCH_LEASE_SECONDS },
  };
}

/** Nest injection token for FleetgateConfig. */
export const FLEETGATE_CONFIG = Symbol.for('fleetgate.config');
