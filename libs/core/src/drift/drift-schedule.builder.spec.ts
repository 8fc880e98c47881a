import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { planScanRound, stableOffset } from './drift-schedule.builder.js';

describe('planScanRound', () => {
  const ids = Array.from({ length: 10_000 }, () => randomUUID());

  it('schedules every cluster once, within the interval, in one-second batches', () => {
    const plan = planScanRound(ids, { intervalMs: 60_000, jitterMs: 5_000 });
    expect(plan.flatMap((b) => b.clusterIds).sort()).toEqual([...ids].sort());
    for (const b of plan) {
      expect(b.delayMs).toBeGreaterThanOrEqual(0);
      expect(b.delayMs).toBeLessThan(60_000);
      expect(b.delayMs % 1000).toBe(0);
    }
  });

  it('spreads 10,000 clusters so that no second holds much more than its share', () => {
    const plan = planScanRound(ids, { intervalMs: 60_000, jitterMs: 5_000 });
    expect(plan.length).toBe(60);
    const biggest = Math.max(...plan.map((b) => b.clusterIds.length));
    expect(biggest).toBeLessThan((10_000 / 60) * 1.6);
  });

  it('keeps a cluster near its stable offset (jitter bounded)', () => {
    const id = ids[0]!;
    const off = stableOffset(id, 60_000);
    for (let i = 0; i < 20; i++) {
      const [b] = planScanRound([id], { intervalMs: 60_000, jitterMs: 5_000 });
      const d = Math.abs(b!.delayMs - off);
      expect(Math.min(d, 60_000 - d)).toBeLessThanOrEqual(6_000);
    }
  });
});
