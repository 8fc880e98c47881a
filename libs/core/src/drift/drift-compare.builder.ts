/**
 * Drift comparison, pure: `(assigned objects, live objects) => findings`. No I/O; the scan
 * service fetches both sides and persists what this returns.
 *
 * Both sides go through `@fleetgate/netpol`'s `normalize` (the API server's defaulting, empty
 * lists dropped, keys sorted), so a field the API server defaulted (`protocol: TCP`,
 * `policyTypes`) is never drift. Labels and annotations are compared only for the keys the
 * assigned object sets: another manager adding its own label is not drift (server-side apply
 * would keep it, so a repair could never remove it).
 */
import {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type NamespaceInfo,
  type NetworkPolicy,
  canonicalJson,
  normalize,
  placementCoversNamespace,
} from '@fleetgate/netpol';
import { CLUSTER_LABEL, type NamespaceRule, RULE_PLACEHOLDER_NAMESPACE, BINDING_LABEL, TEMPLATE_LABEL } from '../desired-state/desired-state.builder.js';

/** The field manager fleetgate applies with. */
export const FLEETGATE_FIELD_MANAGER = 'fleetgate';

export const DRIFT_KINDS = ['missing', 'modified', 'unexpected', 'conflict'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

/** One assigned object, as the assigned-state tables hold it. */
export interface AssignedObject {
  key: string;
  target: { cluster: string; namespace: string | null; namespaceRule: NamespaceRule | null };
  name: string;
  hash: string;
  policy: NetworkPolicy;
  origin: { binding: string; template: string };
}

/** A NetworkPolicy as an API server returns it (managedFields included). */
export interface LiveObject {
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: Array<{ manager?: string; operation?: string; time?: string; fieldsV1?: Record<string, unknown> }>;
    [k: string]: unknown;
  };
  spec?: unknown;
  [k: string]: unknown;
}

export interface FieldDiff {
  /** dotted path with list indexes: `spec.ingress[0].ports[0].port` */
  path: string;
  /** the assigned value (absent: the field should not be there) */
  expected?: unknown;
  /** the live value (absent: the field is gone) */
  actual?: unknown;
}

export interface DriftTarget {
  cluster: string;
  namespace: string;
  name: string;
}

export interface ObservedFinding {
  /** `<target cluster>/<namespace>/<name>`: one finding per object at a time */
  key: string;
  kind: DriftKind;
  target: DriftTarget;
  diff: FieldDiff[];
  changedBy: string | null;
  binding: string | null;
  template: string | null;
  /** the assigned entry this finding is about (missing, modified, conflict) */
  assignedKey: string | null;
  assignedHash: string | null;
}

export interface CompareInput {
  /** the cluster being scanned (its name) */
  cluster: string;
  assigned: readonly AssignedObject[];
  /**
   * Live objects per API server (cluster name): every object carrying our managed-by label there
   * (the caller may pass more), plus whatever it found under the expected names.
   */
  live: ReadonlyMap<string, readonly LiveObject[]>;
  /** Namespaces per API server, needed only when assigned entries carry namespace rules. */
  namespaces?: ReadonlyMap<string, readonly NamespaceInfo[]>;
}

export const targetKey = (t: DriftTarget): string => `${t.cluster}/${t.namespace}/${t.name}`;

const isOurs = (o: LiveObject): boolean =>
  o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE || (o.metadata.managedFields ?? []).some((m) => m.manager === FLEETGATE_FIELD_MANAGER);

/** Whether a managed live object on `apiServer` belongs to the scan of `cluster`. */
function belongsTo(o: LiveObject, apiServer: string, cluster: string): boolean {
  if (o.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) return false;
  const owner = o.metadata.labels?.[CLUSTER_LABEL];
  return apiServer === cluster ? owner === undefined || owner === cluster : owner === cluster;
}

function replaceDeep(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value === from ? to : value;
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  return value;
}

/** Assigned entries with a namespace rule become one concrete entry per namespace it covers. */
export function expandAssigned(assigned: readonly AssignedObject[], namespaces?: ReadonlyMap<string, readonly NamespaceInfo[]>): Array<AssignedObject & { namespace: string }> {
  const out: Array<AssignedObject & { namespace: string }> = [];
  for (const a of assigned) {
    if (a.target.namespace !== null) {
      out.push({ ...a, namespace: a.target.namespace });
      continue;
    }
    const rule = a.target.namespaceRule;
    if (!rule) continue;
    for (const ns of namespaces?.get(a.target.cluster) ?? []) {
      if (!placementCoversNamespace({ kind: 'namespaces', names: [], globs: rule.globs, selectors: rule.selectors }, ns)) continue;
      const policy = replaceDeep(a.policy, RULE_PLACEHOLDER_NAMESPACE, ns.name) as NetworkPolicy;
      out.push({ ...a, policy: { ...policy, metadata: { ...policy.metadata, namespace: ns.name } }, namespace: ns.name });
    }
  }
  return out;
}

/** Field-level differences between two normalised values (`expected` assigned, `actual` live). */
export function diffValues(expected: unknown, actual: unknown, path = ''): FieldDiff[] {
  if (canonicalJson(expected) === canonicalJson(actual)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(expected) && isObj(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    return keys.flatMap((k) => diffValues(expected[k], actual[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.max(expected.length, actual.length);
    const out: FieldDiff[] = [];
    for (let i = 0; i < n; i++) out.push(...diffValues(expected[i], actual[i], `${path}[${i}]`));
    return out;
  }
  const d: FieldDiff = { path };
  if (expected !== undefined) d.expected = expected;
  if (actual !== undefined) d.actual = actual;
  return [d];
}

/** Normalised, with metadata reduced to what the assigned object sets (labels/annotations keys). */
function comparable(policy: NetworkPolicy, only?: { labels: string[]; annotations: string[] }): Record<string, unknown> {
  const n = normalize(policy);
  const pick = (m: Record<string, string> | undefined, keys: string[] | undefined) => {
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const k of Object.keys(m)) if (!keys || keys.includes(k)) out[k] = m[k] as string;
    return Object.keys(out).length ? out : undefined;
  };
  return {
    metadata: { labels: pick(n.metadata?.labels, only?.labels), annotations: pick(n.metadata?.annotations, only?.annotations) },
    spec: n.spec,
  };
}

type FieldsNode = Record<string, unknown>;

/** Managers owning the field at `path` (or the nearest owned ancestor), from managedFields. */
function ownersOf(path: string, entries: NonNullable<LiveObject['metadata']['managedFields']>): string[] {
  const segs = path.replace(/\[\d+\]/g, '').split('.').filter(Boolean);
  // metadata.labels.<key with dots>: the key is everything after the second segment
  const parts = segs[0] === 'metadata' && segs.length > 2 ? [segs[0], segs[1] as string, segs.slice(2).join('.')] : segs;
  const owners: string[] = [];
  for (const e of entries) {
    let node: FieldsNode | undefined = e.fieldsV1 as FieldsNode | undefined;
    let owned = false;
    for (const p of parts) {
      const next = node?.[`f:${p}`] as FieldsNode | undefined;
      if (next === undefined) break;
      node = next;
      if (Object.keys(next).length === 0) {
        owned = true;
        break;
      }
    }
    if (owned && e.manager) owners.push(e.manager);
  }
  return owners;
}

/**
 * Who changed it: the managers (other than fleetgate) owning the differing fields; when the
 * change left no owner (a field removed), the latest manager other than fleetgate.
 */
export function changedByOf(live: LiveObject, diff: readonly FieldDiff[]): string | null {
  const entries = live.metadata.managedFields ?? [];
  const names = new Set<string>();
  for (const d of diff) for (const m of ownersOf(d.path, entries)) if (m !== FLEETGATE_FIELD_MANAGER) names.add(m);
  if (names.size > 0) return [...names].sort().join(', ');
  const others = entries.filter((e) => e.manager && e.manager !== FLEETGATE_FIELD_MANAGER).sort((a, b) => ((a.time ?? '') < (b.time ?? '') ? 1 : -1));
  return others[0]?.manager ?? null;
}

/** Time of fleetgate's last write to the object (its managedFields entry), if any. */
export function lastFleetgateWrite(live: LiveObject | undefined): Date | null {
  const t = live?.metadata.managedFields?.find((m) => m.manager === FLEETGATE_FIELD_MANAGER)?.time;
  return t ? new Date(t) : null;
}

/** The comparison itself. Findings come out sorted by key. */
export function compareDrift(input: CompareInput): ObservedFinding[] {
  const expanded = expandAssigned(input.assigned, input.namespaces);
  const liveByKey = new Map<string, { obj: LiveObject; apiServer: string }>();
  for (const [apiServer, objs] of input.live) {
    for (const o of objs) liveByKey.set(`${apiServer}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`, { obj: o, apiServer });
  }
  const findings: ObservedFinding[] = [];
  const expected = new Set<string>();
  for (const a of expanded) {
    const target: DriftTarget = { cluster: a.target.cluster, namespace: a.namespace, name: a.name };
    const key = targetKey(target);
    expected.add(key);
    const base = { key, target, binding: a.origin.binding, template: a.origin.template, assignedKey: a.key, assignedHash: a.hash };
    const found = liveByKey.get(key);
    if (!found) {
      findings.push({ ...base, kind: 'missing', diff: [], changedBy: null });
      continue;
    }
    if (!isOurs(found.obj)) {
      findings.push({ ...base, kind: 'conflict', diff: [], changedBy: changedByOf(found.obj, []) });
      continue;
    }
    const want = { ...a.policy, metadata: { ...a.policy.metadata, namespace: a.namespace, name: a.name } };
    const only = { labels: Object.keys(want.metadata.labels ?? {}), annotations: Object.keys(want.metadata.annotations ?? {}) };
    const diff = diffValues(comparable(want), comparable(found.obj as unknown as NetworkPolicy, only));
    if (diff.length > 0) findings.push({ ...base, kind: 'modified', diff, changedBy: changedByOf(found.obj, diff) });
  }
  for (const [key, { obj, apiServer }] of liveByKey) {
    if (expected.has(key) || !belongsTo(obj, apiServer, input.cluster)) continue;
    const labels = obj.metadata.labels ?? {};
    findings.push({
      key,
      kind: 'unexpected',
      target: { cluster: apiServer, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' },
      diff: [],
      changedBy: changedByOf(obj, []),
      binding: labels[BINDING_LABEL] ?? null,
      template: labels[TEMPLATE_LABEL] ?? null,
      assignedKey: null,
      assignedHash: null,
    });
  }
  return findings.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}
