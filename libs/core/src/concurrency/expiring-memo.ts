/**
 * Memoises a promise per key for `ttlMs` (at most `maxKeys` keys, oldest dropped first): concurrent
 * callers within the window share one load.
 */
export class ExpiringMemo<K, V> {
  private readonly entries = new Map<K, { at: number; value: Promise<V> }>();
  constructor(private readonly opts: { ttlMs: number; maxKeys: number }) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.opts.ttlMs) return hit.value;
    const value = load();
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    if (this.entries.size > this.opts.maxKeys) this.entries.delete(this.entries.keys().next().value as K);
    return value;
  }
}
