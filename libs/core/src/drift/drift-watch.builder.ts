/**
 * Drift watches, the pure parts: whose object a watch event is about, whether it is fleetgate's
 * own write, what a relist changed, and how many leases a worker should hold.
 */
import { CLUSTER_LABEL } from '../desired-state/desired-state.builder.js';
import { FLEETGATE_FIELD_MANAGER, type LiveObject } from './drift-compare.builder.js';

/** What a watch remembers of an object between events: enough to tell what a relist changed. */
export interface KnownObject {
  resourceVersion: string;
  owner: string;
}

export type ObjectChange = { type: 'ADDED' | 'MODIFIED'; object: LiveObject; owner: string } | { type: 'DELETED'; owner: string };

export const objectKey = (o: LiveObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/** The cluster whose drift an object on `server` is part of: its cluster label, or the server's own. */
export function ownerOf(o: LiveObject, server: string): string {
  return o.metadata.labels?.[CLUSTER_LABEL] ?? server;
}

/**
 * Whether fleetgate made the object's latest change: its managedFields entry is strictly newer
 * than every other manager's (the times have second precision: a tie is not fleetgate's). Such an
 * event is a rollout's or a repair's write, not drift, unless the cluster has findings to resolve.
 */
export function lastWriterIsFleetgate(o: LiveObject): boolean {
  const entries = o.metadata.managedFields ?? [];
  const ours = entries.filter((e) => e.manager === FLEETGATE_FIELD_MANAGER).map((e) => e.time ?? '');
  if (ours.length === 0) return false;
  const newestOurs = ours.sort().at(-1) as string;
  return entries.every((e) => e.manager === FLEETGATE_FIELD_MANAGER || (e.time ?? '') < newestOurs);
}

/**
 * What a relist (after 410 Gone) changed against what the watch knew: objects added, changed
 * (another resourceVersion) and gone. `known` is updated to the new set.
 */
export function relistChanges(known: Map<string, KnownObject>, items: readonly LiveObject[], server: string): ObjectChange[] {
  const out: ObjectChange[] = [];
  const seen = new Set<string>();
  for (const o of items) {
    const key = objectKey(o);
    seen.add(key);
    const before = known.get(key);
    const rv = String(o.metadata.resourceVersion ?? '');
    const owner = ownerOf(o, server);
    if (!before) out.push({ type: 'ADDED', object: o, owner });
    else if (before.resourceVersion !== rv) out.push({ type: 'MODIFIED', object: o, owner });
    known.set(key, { resourceVersion: rv, owner });
  }
  for (const [key, k] of known) {
    if (seen.has(key)) continue;
    known.delete(key);
    out.push({ type: 'DELETED', owner: k.owner });
  }
  return out;
}

export interface LeasePlanInput {
  /** every cluster, in the same order for every worker */
  all: readonly string[];
  held: ReadonlySet<string>;
  liveWorkers: number;
}

/**
 * A worker's share of the fleet: ceil(clusters / live workers). Above it, the surplus is released
 * (the last ones, so that workers converge); below it, the rest of the fleet are candidates to
 * try (in an order rotated by `offset`, so that workers starting together do not contend for the
 * same keys first).
 */
export function planLeases(input: LeasePlanInput, offset = 0): { share: number; release: string[]; candidates: string[]; want: number } {
  const share = Math.ceil(input.all.length / Math.max(1, input.liveWorkers));
  const held = input.all.filter((id) => input.held.has(id));
  const release = held.length > share ? held.slice(share) : [];
  const want = Math.max(0, share - held.length);
  if (want === 0) return { share, release, candidates: [], want };
  const free = input.all.filter((id) => !input.held.has(id));
  const start = free.length ? ((offset % free.length) + free.length) % free.length : 0;
  return { share, release, candidates: [...free.slice(start), ...free.slice(0, start)], want };
}
