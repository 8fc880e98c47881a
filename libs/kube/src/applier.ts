import { type NetworkPolicy as NetpolPolicy, hash, normalize } from '@fleetgate/netpol';
import { KubeApiError } from './kube-api.error.js';
import { mapLimit } from './map-limit.js';
import type { KubeClient } from './kube-client.js';
import { type RetryOptions, withRetry } from './retry.js';
import type { NetworkPolicy, NetworkPolicyInput } from './types.js';

/** fleetgate's field manager for every server-side apply (CONVENTIONS rule 4). */
export const FIELD_MANAGER = 'fleetgate';

/** One object the cluster should hold, with a concrete namespace. */
export interface DesiredObject {
  namespace: string;
  name: string;
  policy: NetworkPolicyInput;
}

export type ObjectAction = 'created' | 'configured' | 'unchanged' | 'pruned' | 'skipped';

export interface FieldChange {
  /** dotted path, e.g. `spec.egress[0].ports[0].port` */
  path: string;
  before: unknown;
  after: unknown;
}

export interface ObjectResult {
  namespace: string;
  name: string;
  action: ObjectAction;
  /** for `configured`: what changes (live against the applied or dry-run result) */
  diff?: FieldChange[];
  /** for `skipped`: why the object was left alone (its name is held by a foreign object) */
  reason?: string;
}

export interface ApplyReport {
  created: number;
  configured: number;
  unchanged: number;
  pruned: number;
  /** desired objects left alone because a foreign object holds the name (`foreign: 'skip'`) */
  skipped: number;
  objects: ObjectResult[];
  /** HTTP requests made (retries included) */
  requests: number;
  retries: number;
}

export interface ApplyScope {
  /**
   * Namespaces to list. `'all'` lists the whole cluster once (one request); a list lists each
   * namespace (a seed holding many user clusters' control planes is listed only where needed).
   */
  list: 'all' | readonly string[];
  /** Whether a live object belongs to this target (managed-by label plus the owner labels). */
  owns(policy: NetworkPolicy): boolean;
  /** Whether a live object is managed by fleetgate at all (for clash messages). */
  managed(policy: NetworkPolicy): boolean;
}

export interface ApplierOptions {
  dryRun?: boolean;
  retry?: RetryOptions;
  /** objects applied in parallel against one API server. Default 8. */
  parallel?: number;
  /**
   * A desired name held by an object this target does not own: `'fail'` (default) throws
   * `ForeignObjectError` before anything is written; `'skip'` leaves that object alone (never
   * written, never pruned), reports it as `skipped` and applies and prunes everything else.
   */
  foreign?: 'fail' | 'skip';
}

/** A desired object's name is held by an object fleetgate does not own there: the target fails (unless the applier skips such names). */
export class ForeignObjectError extends Error {
  override readonly name = 'ForeignObjectError';
  constructor(
    readonly namespace: string,
    readonly objectName: string,
    readonly ownedBySomeoneElse: boolean,
  ) {
    super(`NetworkPolicy ${namespace}/${objectName} ${heldBy(ownedBySomeoneElse)}; ${ownedBySomeoneElse ? 'refusing to take it over' : 'refusing to overwrite a foreign object'}`);
  }
}

const heldBy = (ownedBySomeoneElse: boolean) =>
  ownedBySomeoneElse ? 'exists and is managed by fleetgate for another owner' : 'exists and is not managed by fleetgate (no app.kubernetes.io/managed-by=fleetgate label)';

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

/** Flattens a JSON value into `path -> leaf` (arrays indexed). */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, []);
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
    return;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix) out.set(prefix, {});
    for (const k of keys) flatten((value as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, value);
}

/** Field-level diff of two NetworkPolicies after normalisation (defaults never show as changes). */
export function policyDiff(before: NetworkPolicyInput, after: NetworkPolicyInput): FieldChange[] {
  const pick = (p: NetworkPolicyInput) => {
    const n = normalize(p as unknown as NetpolPolicy);
    return { metadata: { labels: n.metadata?.labels, annotations: n.metadata?.annotations }, spec: n.spec };
  };
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(pick(before), '', a);
  flatten(pick(after), '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: FieldChange[] = [];
  for (const path of paths) {
    const x = a.get(path);
    const y = b.get(path);
    if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ path, before: x ?? null, after: y ?? null });
  }
  return changes;
}

export function policyHash(policy: NetworkPolicyInput): string {
  return hash(policy as unknown as NetpolPolicy);
}

/**
 * The one applier (CONVENTIONS rule 4) for one API server: lists what is there, server-side
 * applies (field manager `fleetgate`, force) each desired object whose live hash differs, prunes
 * objects this target owns that are no longer desired, and never touches an object it does not
 * own: a desired name held by a foreign object fails with `ForeignObjectError` before anything is
 * written, or with `foreign: 'skip'` is left alone and reported as `skipped` while the rest is
 * applied. With `dryRun`, every write is a server-side dry run and the report says what would
 * be created, configured (with a field diff), left unchanged, pruned and skipped.
 *
 * Retryable failures (timeouts, connection errors, 429 with Retry-After, 5xx) are retried per
 * request with backoff and jitter; anything else (401/403/404/422 …) is thrown at once as the
 * `KubeApiError` carrying the server's message.
 */
export async function applyToCluster(client: KubeClient, desired: readonly DesiredObject[], scope: ApplyScope, opts: ApplierOptions = {}): Promise<ApplyReport> {
  const dryRun = opts.dryRun ?? false;
  const parallel = opts.parallel ?? 8;
  const foreign = opts.foreign ?? 'fail';
  const report: ApplyReport = { created: 0, configured: 0, unchanged: 0, pruned: 0, skipped: 0, objects: [], requests: 0, retries: 0 };
  const retry: RetryOptions = {
    ...opts.retry,
    onRetry: (err, attempt, delay) => {
      report.retries++;
      opts.retry?.onRetry?.(err, attempt, delay);
    },
  };
  const call = <T>(fn: () => Promise<T>) =>
    withRetry(() => {
      report.requests++;
      return fn();
    }, retry);

  const seen = new Set<string>();
  for (const d of desired) {
    const k = keyOf(d.namespace, d.name);
    if (seen.has(k)) throw new KubeApiError({ kind: 'invalid', message: `desired state names NetworkPolicy ${k} twice` });
    seen.add(k);
  }

  // 1. What is there.
  const live = new Map<string, NetworkPolicy>();
  const lists =
    scope.list === 'all'
      ? [call(() => client.listNetworkPolicies())]
      : [...new Set(scope.list)].sort().map((namespace) => call(() => client.listNetworkPolicies({ namespace })));
  for (const items of await Promise.all(lists)) {
    for (const p of items) live.set(keyOf(p.metadata.namespace ?? '', p.metadata.name ?? ''), p);
  }

  // 2. Clashes first: nothing is written when one desired name belongs to someone else
  // (or, when skipping, those names are left alone and everything else goes ahead).
  const skipped: ObjectResult[] = [];
  const toApply: DesiredObject[] = [];
  for (const d of desired) {
    const existing = live.get(keyOf(d.namespace, d.name));
    if (existing && !scope.owns(existing)) {
      if (foreign === 'fail') throw new ForeignObjectError(d.namespace, d.name, scope.managed(existing));
      skipped.push({ namespace: d.namespace, name: d.name, action: 'skipped', reason: `${heldBy(scope.managed(existing))}; left alone` });
    } else toApply.push(d);
  }

  // 3. Apply what differs.
  const body = (d: DesiredObject): NetworkPolicyInput => ({ ...d.policy, metadata: { ...d.policy.metadata, name: d.name, namespace: d.namespace } });
  const results = await mapLimit(toApply, parallel, async (d): Promise<ObjectResult> => {
    const existing = live.get(keyOf(d.namespace, d.name));
    const want = body(d);
    if (existing && policyHash(existing) === policyHash(want)) return { namespace: d.namespace, name: d.name, action: 'unchanged' };
    const applied = await call(() => client.applyNetworkPolicy(want, { fieldManager: FIELD_MANAGER, force: true, dryRun }));
    if (!existing) return { namespace: d.namespace, name: d.name, action: 'created' };
    return { namespace: d.namespace, name: d.name, action: 'configured', diff: policyDiff(existing, applied) };
  });

  // 4. Prune what this target owns and no longer wants (a skipped name is desired and not ours: never pruned).
  const stale = [...live.entries()].filter(([k, p]) => !seen.has(k) && scope.owns(p)).map(([, p]) => p);
  const pruned = await mapLimit(stale, parallel, async (p): Promise<ObjectResult> => {
    const namespace = p.metadata.namespace ?? '';
    const name = p.metadata.name ?? '';
    try {
      await call(() => client.deleteNetworkPolicy(namespace, name, { dryRun }));
    } catch (err) {
      // Gone already (someone else deleted it, or a re-delivered job did): pruned all the same.
      if (!(err instanceof KubeApiError && err.kind === 'not-found')) throw err;
    }
    return { namespace, name, action: 'pruned' };
  });

  for (const r of [...results, ...pruned, ...skipped]) {
    report[r.action]++;
    report.objects.push(r);
  }
  report.objects.sort((a, b) => (keyOf(a.namespace, a.name) < keyOf(b.namespace, b.name) ? -1 : 1));
  return report;
}
