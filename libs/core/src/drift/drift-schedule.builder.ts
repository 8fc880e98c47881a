/**
 * Spreading scheduled scans (pure). A round starts every `scanPeriodMs` (the interval minus the
 * jitter) and gives every cluster a stable offset from its id inside that period plus a random
 * delay of up to half the jitter. Two scans of a cluster are therefore at most
 * `interval - jitter/2` apart (57.5 s at the defaults of 60 s and 5 s): an edit is found within the
 * interval, the scan itself included. Clusters due in the same second go into one batch job, so
 * 10,000 clusters become ~55 jobs of ~180 clusters, one a second.
 */

export interface ScheduleOptions {
  intervalMs: number;
  jitterMs: number;
  /** width of one batch; default 1000 ms */
  bucketMs?: number;
  random?: () => number;
}

export interface ScanBucket {
  delayMs: number;
  clusterIds: string[];
}

/** FNV-1a over the id: a stable position in the period, independent of registration order. */
export function stableOffset(id: string, periodMs: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % Math.max(1, periodMs);
}

/** The jitter actually used: at most half the interval. */
function effectiveJitter(opts: Pick<ScheduleOptions, 'intervalMs' | 'jitterMs'>): number {
  return Math.max(0, Math.min(opts.jitterMs, opts.intervalMs / 2));
}

/** How often a round starts: the interval minus the jitter (never less than a second). */
export function scanPeriodMs(opts: Pick<ScheduleOptions, 'intervalMs' | 'jitterMs'>): number {
  return Math.max(1000, Math.round(opts.intervalMs - effectiveJitter(opts)));
}

export function planScanRound(clusterIds: readonly string[], opts: ScheduleOptions): ScanBucket[] {
  const bucketMs = Math.max(1, opts.bucketMs ?? 1000);
  const random = opts.random ?? Math.random;
  const period = scanPeriodMs(opts);
  const jitter = effectiveJitter(opts);
  const buckets = new Map<number, string[]>();
  for (const id of clusterIds) {
    // Never wrapped into the period: a late cluster wrapped to the start of this round would wait
    // almost two periods for its next scan.
    const at = stableOffset(id, period) + random() * (jitter / 2);
    const b = Math.floor(at / bucketMs);
    const list = buckets.get(b);
    if (list) list.push(id);
    else buckets.set(b, [id]);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([b, ids]) => ({ delayMs: b * bucketMs, clusterIds: ids }));
}
