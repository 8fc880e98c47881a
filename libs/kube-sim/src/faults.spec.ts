import { describe, expect, it } from 'vitest';
import { hits, sampleLatency } from './faults.js';

describe('fault sampling', () => {
  it('samples fixed, uniform, normal and log-normal latencies', () => {
    expect(sampleLatency(25)).toBe(25);
    expect(sampleLatency({ kind: 'fixed', ms: 7 })).toBe(7);
    expect(sampleLatency({ kind: 'uniform', minMs: 10, maxMs: 20 }, () => 0.5)).toBe(15);
    const normal = Array.from({ length: 4000 }, () => sampleLatency({ kind: 'normal', meanMs: 100, stddevMs: 10 }));
    const mean = normal.reduce((a, b) => a + b, 0) / normal.length;
    expect(mean).toBeGreaterThan(97);
    expect(mean).toBeLessThan(103);
    const logn = Array.from({ length: 20000 }, () => sampleLatency({ kind: 'lognormal', medianMs: 20, p99Ms: 200 })).sort((a, b) => a - b);
    expect(logn[10000]).toBeGreaterThan(17);
    expect(logn[10000]).toBeLessThan(23);
    expect(logn[19800]).toBeGreaterThan(150);
    expect(logn[19800]).toBeLessThan(260);
  });

  it('hits a rate or always', () => {
    expect(hits(undefined)).toBe(false);
    expect(hits(true)).toBe(true);
    expect(hits(0.3, () => 0.2)).toBe(true);
    expect(hits(0.3, () => 0.4)).toBe(false);
  });
});
