/**
 * Hash-consing for the simulator's stored values. Ten thousand clusters hold the same specs,
 * label maps and ownership sets over and over; storing one frozen copy of each distinct value
 * keeps the fleet compact. Interned values are deep-frozen: the store never mutates them (it
 * copies before changing anything), and a caller that tries to gets a TypeError instead of
 * silently changing every cluster that shares the value.
 */

const values = new Map<string, WeakRef<object>>();
const collected = new FinalizationRegistry<string>((key) => {
  const ref = values.get(key);
  if (ref && ref.deref() === undefined) values.delete(key);
});

/** Freezes a value that is unique anyway (a pod's status, an Endpoints' addresses) without keeping a key for it. */
export function freeze<T>(value: T): T {
  deepFreeze(value);
  return value;
}

function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const child of Object.values(v as Record<string, unknown>)) deepFreeze(child);
}

/** One shared, frozen copy of every structurally equal JSON value. */
export function intern<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const key = JSON.stringify(value);
  const hit = values.get(key)?.deref();
  if (hit !== undefined) return hit as T;
  deepFreeze(value);
  values.set(key, new WeakRef(value as object));
  collected.register(value as object, key);
  return value;
}

const sets = new Map<string, WeakRef<ReadonlySet<string>>>();
const collectedSets = new FinalizationRegistry<string>((key) => {
  const ref = sets.get(key);
  if (ref && ref.deref() === undefined) sets.delete(key);
});

/** One shared copy of every equal set of strings (the store never mutates a stored set). */
export function internSet(set: ReadonlySet<string>): ReadonlySet<string> {
  const key = [...set].sort().join('\u0001');
  const hit = sets.get(key)?.deref();
  if (hit !== undefined) return hit;
  sets.set(key, new WeakRef(set));
  collectedSets.register(set, key);
  return set;
}

const strings = new Map<string, string>();

/** Small, repetitive strings (manager names, API versions, timestamps) stored once. */
export function internString(s: string): string {
  const hit = strings.get(s);
  if (hit !== undefined) return hit;
  if (strings.size > 100_000) strings.clear();
  strings.set(s, s);
  return s;
}
