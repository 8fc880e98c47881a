/**
 * The per-cluster event window behind watches and consistent paging, shaped like
 * kube-apiserver's watch cache: a bounded ring of changes, each with the object before and
 * after, from which a watch resumes (or gets "too old resource version") and from which a
 * continued list reconstructs the state at its first page's resourceVersion.
 */
import type { ResourceKind } from './resources.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change. `obj` is the stored value after it (absent for a deletion), `prev` the one before. */
export interface ChangeEvent<S> {
  rv: number;
  kind: ResourceKind;
  type: WatchEventType;
  key: string;
  obj?: S;
  prev?: S;
}

export const DEFAULT_WATCH_WINDOW = 1000;

export class EventWindow<S> {
  private events: Array<ChangeEvent<S> | undefined> = [];
  private head = 0;
  /** Watches and continued lists may start at any resourceVersion ≥ this. */
  startRv: number;

  constructor(
    startRv: number,
    public capacity = DEFAULT_WATCH_WINDOW,
  ) {
    this.startRv = startRv;
  }

  get size(): number {
    return this.events.length - this.head;
  }

  push(e: ChangeEvent<S>): void {
    this.events.push(e);
    while (this.events.length - this.head > this.capacity) this.dropOldest();
  }

  private dropOldest(): void {
    const e = this.events[this.head];
    if (e) this.startRv = e.rv;
    this.events[this.head] = undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  /** Forgets every change up to `rv` (what an etcd compaction does to the watch cache). */
  compact(rv: number): void {
    while (this.head < this.events.length && (this.events[this.head]?.rv ?? Infinity) <= rv) this.dropOldest();
    this.startRv = Math.max(this.startRv, rv);
  }

  /** Changes after `rv`, oldest first. */
  *since(rv: number): Generator<ChangeEvent<S>> {
    // Binary search for the first event with a larger rv.
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.events[mid]?.rv ?? 0) <= rv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.events.length; i++) {
      const e = this.events[i];
      if (e) yield e;
    }
  }
}

/** What a watcher selects: kind, namespace (or all) and a predicate over a stored value. */
export interface WatchFilter<S> {
  kind: ResourceKind;
  matches(s: S): boolean;
}

/**
 * The event a watcher sees for a change (kube-apiserver's cacheWatcher.convertToWatchEvent):
 * an object that starts matching is ADDED, one that stops matching is DELETED (with its previous
 * content), a deletion of a matching object is DELETED, anything else that matches MODIFIED.
 */
export function eventFor<S>(f: WatchFilter<S>, e: ChangeEvent<S>): { type: WatchEventType; value: S } | undefined {
  if (e.kind !== f.kind) return undefined;
  const cur = e.type !== 'DELETED' && e.obj !== undefined && f.matches(e.obj);
  const old = e.prev !== undefined && f.matches(e.prev);
  if (cur && !old) return { type: 'ADDED', value: e.obj as S };
  if (cur && old) return { type: 'MODIFIED', value: e.obj as S };
  if (!cur && old) return { type: 'DELETED', value: e.prev as S };
  return undefined;
}
