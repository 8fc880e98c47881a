/**
 * Spreading scheduled scans (pure). Each round (one job-scheduler tick every interval) gives
 * every cluster a delay inside the interval: a stable offset from its id, so a cluster is scanned
 * about once per interval, plus a random jitter of ±jitter. Clusters due in the same second go
 * into one batch job, so 10,000 clusters at 60 s become ~60 jobs of ~170 clusters, one a second.
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

/** FNV-1a over the id: a stable position in the interval, independent of registration order. */
export function stableOffset(id: string, intervalMs: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % Math.max(1, intervalMs);
}

export function planScanRound(clusterIds: readonly string[], opts: ScheduleOptions): ScanBucket[] {
  const bucketMs = Math.max(1, opts.bucketMs ?? 1000);
  const random = opts.random ?? Math.random;
  const interval = Math.max(1, opts.intervalMs);
  const buckets = new Map<number, string[]>();
  for (const id of clusterIds) {
    const jitter = opts.jitterMs > 0 ? (random() * 2 - 1) * opts.jitterMs : 0;
    // wrapped into the interval (clamping would pile the jittered edges onto the first and last second)
    const at = (((Math.round(stableOffset(id, interval) + jitter)) % interval) + interval) % interval;
    const b = Math.floor(at / bucketMs);
    const list = buckets.get(b);
    if (list) list.push(id);
    else buckets.set(b, [id]);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([b, ids]) => ({ delayMs: b * bucketMs, clusterIds: ids }));
}
