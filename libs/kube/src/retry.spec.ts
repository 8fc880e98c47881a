import { describe, expect, it } from 'vitest';
import { KubeApiError } from './kube-api.error.js';
import { backoffDelay, withRetry } from './retry.js';

describe('withRetry', () => {
  it('retries retryable errors with growing jittered backoff, then succeeds', async () => {
    const waits: number[] = [];
    let n = 0;
    const out = await withRetry(
      async () => {
        if (++n < 4) throw new KubeApiError({ kind: 'server', status: 503, message: 'x' });
        return 'ok';
      },
      { attempts: 5, baseMs: 100, random: () => 1, sleep: async (ms) => void waits.push(ms) },
    );
    expect(out).toBe('ok');
    expect(waits).toEqual([100, 200, 400]);
  });

  it('honours Retry-After instead of the backoff', async () => {
    const waits: number[] = [];
    let n = 0;
    await withRetry(
      async () => {
        if (++n === 1) throw new KubeApiError({ kind: 'throttled', status: 429, retryAfterMs: 1500, message: 'slow down' });
        return 1;
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(waits).toEqual([1500]);
  });

  it('does not retry permanent errors or foreign errors, and stops after the last attempt', async () => {
    let n = 0;
    await expect(withRetry(async () => { n++; throw new KubeApiError({ kind: 'forbidden', status: 403, message: 'no' }); }, { sleep: async () => {} })).rejects.toMatchObject({ kind: 'forbidden' });
    expect(n).toBe(1);
    n = 0;
    await expect(withRetry(async () => { n++; throw new Error('bug'); }, { sleep: async () => {} })).rejects.toThrow('bug');
    expect(n).toBe(1);
    n = 0;
    await expect(withRetry(async () => { n++; throw new KubeApiError({ kind: 'timeout', message: 't' }); }, { attempts: 3, sleep: async () => {} })).rejects.toMatchObject({ kind: 'timeout' });
    expect(n).toBe(3);
  });

  it('jitters between half and all of the exponential cap', () => {
    expect(backoffDelay(3, undefined, { baseMs: 100, random: () => 0 })).toBe(200);
    expect(backoffDelay(3, undefined, { baseMs: 100, random: () => 1 })).toBe(400);
    expect(backoffDelay(20, undefined, { baseMs: 100, maxMs: 1000, random: () => 1 })).toBe(1000);
  });
});
