import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { planScanRound, scanPeriodMs, stableOffset } from './drift-schedule.builder.js';

describe('planScanRound', () => {
  const ids = Array.from({ length: 10_000 }, () => randomUUID());
  const opts = { intervalMs: 60_000, jitterMs: 5_000 };

  it('starts a round every interval minus the jitter, never more often than every second', () => {
    expect(scanPeriodMs(opts)).toBe(55_000);
    expect(scanPeriodMs({ intervalMs: 60_000, jitterMs: 0 })).toBe(60_000);
    expect(scanPeriodMs({ intervalMs: 10_000, jitterMs: 3_600_000 })).toBe(5_000);
    expect(scanPeriodMs({ intervalMs: 1_000, jitterMs: 5_000 })).toBe(1_000);
  });

  it('schedules every cluster once, in one-second batches, within the period plus half the jitter', () => {
    const plan = planScanRound(ids, opts);
    expect(plan.flatMap((b) => b.clusterIds).sort()).toEqual([...ids].sort());
    for (const b of plan) {
      expect(b.delayMs).toBeGreaterThanOrEqual(0);
      expect(b.delayMs).toBeLessThan(55_000 + 2_500);
      expect(b.delayMs % 1000).toBe(0);
    }
  });

  it('spreads 10,000 clusters so that no second holds much more than its share', () => {
    const plan = planScanRound(ids, opts);
    expect(plan.length).toBeGreaterThanOrEqual(55);
    const biggest = Math.max(...plan.map((b) => b.clusterIds.length));
    expect(biggest).toBeLessThan((10_000 / 55) * 1.6);
  });

  it('never lets two scans of a cluster be more than the interval minus half the jitter apart', () => {
    const period = scanPeriodMs(opts);
    const at = (round: number, random: () => number) => {
      const when = new Map<string, number>();
      for (const b of planScanRound(ids.slice(0, 2000), { ...opts, random })) for (const id of b.clusterIds) when.set(id, round * period + b.delayMs);
      return when;
    };
    // the worst case: drawn as early as possible in one round and as late as possible in the next
    const early = at(0, () => 0);
    const late = at(1, () => 0.999_999);
    let widest = 0;
    for (const [id, t] of early) widest = Math.max(widest, (late.get(id) as number) - t);
    // one batch (1 s) of rounding on top of 57.5 s
    expect(widest).toBeLessThanOrEqual(60_000 - 2_500 + 1_000);
    expect(widest).toBeLessThan(60_000);
    // and random rounds stay inside that bound too
    for (let r = 0; r < 5; r++) {
      const a = at(r, Math.random);
      const b = at(r + 1, Math.random);
      for (const [id, t] of a) expect((b.get(id) as number) - t).toBeLessThan(60_000);
    }
  });

  it('keeps a cluster near its stable offset (jitter bounded)', () => {
    const id = ids[0]!;
    const off = stableOffset(id, 55_000);
    for (let i = 0; i < 20; i++) {
      const [b] = planScanRound([id], opts);
      expect(b!.delayMs).toBeGreaterThanOrEqual(Math.floor(off / 1000) * 1000);
      expect(b!.delayMs).toBeLessThanOrEqual(off + 2_500);
    }
  });
});
