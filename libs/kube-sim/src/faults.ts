/** Latency added before a request is answered. */
export type Latency =
  | number
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'normal'; meanMs: number; stddevMs: number }
  /** Log-normal by median and 99th percentile: a long tail like real API servers under load. */
  | { kind: 'lognormal'; medianMs: number; p99Ms: number };

/** Faults one cluster shows, changeable at runtime (library API or admin endpoint). */
export interface Faults {
  latency?: Latency;
  /** Fraction (0..1) of requests answered with `errorStatus` (500 or 503). */
  errorRate?: number;
  errorStatus?: 500 | 503;
  /** Fraction of requests answered 429 with Retry-After (`retryAfterSeconds`, default 1). */
  throttleRate?: number;
  retryAfterSeconds?: number;
  /** Fraction of requests that never get an answer (the client must time out). true = all. */
  hang?: boolean | number;
  /** Fraction of requests whose connection is reset (TCP RST). true = all. */
  reset?: boolean | number;
  /** The cluster refuses connections (its own port is closed; on the shared port connections are reset). */
  down?: boolean;
  /** Every write (create, update, patch, delete) gets 403. */
  forbidWrites?: boolean;
}

function gauss(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** One latency sample in ms (never negative). */
export function sampleLatency(l: Latency | undefined, random: () => number = Math.random): number {
  if (l === undefined) return 0;
  if (typeof l === 'number') return Math.max(0, l);
  switch (l.kind) {
    case 'fixed':
      return Math.max(0, l.ms);
    case 'uniform':
      return l.minMs + random() * (l.maxMs - l.minMs);
    case 'normal':
      return Math.max(0, l.meanMs + gauss(random) * l.stddevMs);
    case 'lognormal': {
      const mu = Math.log(Math.max(l.medianMs, 0.001));
      const sigma = Math.max(0, (Math.log(Math.max(l.p99Ms, l.medianMs, 0.001)) - mu) / 2.326);
      return Math.exp(mu + sigma * gauss(random));
    }
    default:
      return 0;
  }
}

export function hits(rate: boolean | number | undefined, random: () => number = Math.random): boolean {
  if (rate === undefined || rate === false) return false;
  if (rate === true) return true;
  return rate > 0 && random() < rate;
}
