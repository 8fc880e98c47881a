import { KubeApiError } from './kube-api.error.js';

export interface RetryOptions {
  /** Attempts in total, including the first. Default 4. */
  attempts?: number;
  /** First backoff in ms. Default 200. */
  baseMs?: number;
  /** Ceiling for one backoff in ms. Default 10 000. */
  maxMs?: number;
  /** Ceiling for a server's Retry-After in ms. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Called before each wait, e.g. for logging. */
  onRetry?: (error: KubeApiError, attempt: number, delayMs: number) => void;
  /** Injected for tests. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Delay before retry number `attempt` (1-based): full-jitter exponential backoff, or the server's Retry-After. */
export function backoffDelay(attempt: number, error: KubeApiError | undefined, opts: RetryOptions = {}): number {
  const base = opts.baseMs ?? 200;
  const max = opts.maxMs ?? 10_000;
  const random = opts.random ?? Math.random;
  if (error?.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, opts.maxRetryAfterMs ?? 60_000);
  const cap = Math.min(max, base * 2 ** (attempt - 1));
  // "Equal jitter": half fixed, half random, so a retry never fires immediately.
  return Math.round(cap / 2 + random() * (cap / 2));
}

/**
 * Runs `fn` and retries it while it fails with a retryable `KubeApiError`, waiting with
 * exponential backoff and jitter, or exactly the server's Retry-After when it sent one.
 * Any other error, and the last failure, is thrown as is.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 4);
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(err instanceof KubeApiError) || !err.retryable || attempt >= attempts) throw err;
      const delay = backoffDelay(attempt, err, opts);
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}
