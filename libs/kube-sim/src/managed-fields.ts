/**
 * Field ownership for server-side apply, specialised to the objects the simulator serves.
 *
 * In the upstream schemas every field fleetgate touches is either a granular map entry
 * (`metadata.labels[k]`, `metadata.annotations[k]`) or atomic: LabelSelector is
 * `+structType=atomic`, and NetworkPolicySpec's `ingress`, `egress`, `policyTypes` (and the
 * lists inside rules) are `+listType=atomic`. So an object's owned fields are the label and
 * annotation keys plus the top-level spec fields, each compared as one value — exactly what
 * structured-merge-diff tracks for NetworkPolicy. Fields are kept as compact strings:
 * `l\0<key>`, `a\0<key>`, `s\0<field>`.
 */

export type FieldKey = string;

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: ManagedFieldsEntry[];
    [k: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** One manager's ownership, in the compact form the store keeps. */
export interface Ownership {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fields: ReadonlySet<FieldKey>;
}

export const SEP = '\0';

export function fieldsOf(obj: KubeObject | undefined): Set<FieldKey> {
  const out = new Set<FieldKey>();
  if (!obj) return out;
  for (const k of Object.keys(obj.metadata.labels ?? {})) out.add(`l${SEP}${k}`);
  for (const k of Object.keys(obj.metadata.annotations ?? {})) out.add(`a${SEP}${k}`);
  if (obj.spec) for (const k of Object.keys(obj.spec)) if (obj.spec[k] !== undefined && obj.spec[k] !== null) out.add(`s${SEP}${k}`);
  for (const k of Object.keys(obj)) if (!BODY_KEYS.has(k) && obj[k] !== undefined && obj[k] !== null) out.add(`t${SEP}${k}`);
  return out;
}

/** Top-level keys that are not tracked as fields of their own (`t\0<key>` covers the rest, e.g. Endpoints' `subsets`). */
const BODY_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);

export function valueAt(obj: KubeObject | undefined, f: FieldKey): unknown {
  if (!obj) return undefined;
  const key = f.slice(2);
  switch (f.charCodeAt(0)) {
    case 108: // l
      return obj.metadata.labels?.[key];
    case 97: // a
      return obj.metadata.annotations?.[key];
    case 116: // t
      return obj[key];
    default:
      return obj.spec?.[key];
  }
}

export function setAt(obj: KubeObject, f: FieldKey, value: unknown): void {
  const key = f.slice(2);
  const kind = f.charCodeAt(0);
  if (kind === 108 || kind === 97) {
    const prop = kind === 108 ? 'labels' : 'annotations';
    if (value === undefined) {
      const m = obj.metadata[prop];
      if (m) {
        delete m[key];
        if (Object.keys(m).length === 0) delete obj.metadata[prop];
      }
    } else {
      (obj.metadata[prop] ??= {})[key] = value as string;
    }
    return;
  }
  if (kind === 116) {
    if (value === undefined) delete obj[key];
    else obj[key] = value;
    return;
  }
  if (value === undefined) {
    if (obj.spec) delete obj.spec[key];
  } else {
    (obj.spec ??= {})[key] = value;
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

/** Fields whose value differs between two versions of an object (added, changed or removed). */
export function changedFields(before: KubeObject | undefined, after: KubeObject | undefined): Set<FieldKey> {
  const out = new Set<FieldKey>();
  const all = fieldsOf(before);
  for (const f of fieldsOf(after)) all.add(f);
  for (const f of all) if (!deepEqual(valueAt(before, f), valueAt(after, f))) out.add(f);
  return out;
}

/** `.metadata.labels.app`, `.spec.ingress`: the path string structured-merge-diff prints. */
export function fieldPathString(f: FieldKey): string {
  const key = f.slice(2);
  switch (f.charCodeAt(0)) {
    case 108:
      return `.metadata.labels.${key}`;
    case 97:
      return `.metadata.annotations.${key}`;
    case 116:
      return `.${key}`;
    default:
      return `.spec.${key}`;
  }
}

export function toFieldsV1(fields: ReadonlySet<FieldKey>, operation: 'Apply' | 'Update'): Record<string, unknown> {
  const labels: Record<string, unknown> = {};
  const annotations: Record<string, unknown> = {};
  const spec: Record<string, unknown> = {};
  const top: Record<string, unknown> = {};
  for (const f of [...fields].sort()) {
    const key = `f:${f.slice(2)}`;
    const c = f.charCodeAt(0);
    if (c === 108) labels[key] = {};
    else if (c === 97) annotations[key] = {};
    else if (c === 116) top[key] = {};
    else spec[key] = {};
  }
  const out: Record<string, unknown> = {};
  const meta: Record<string, unknown> = {};
  // An Update that owns map entries also owns the map itself ("."); an Apply owns only leaves.
  if (Object.keys(annotations).length) meta['f:annotations'] = operation === 'Update' ? { '.': {}, ...annotations } : annotations;
  if (Object.keys(labels).length) meta['f:labels'] = operation === 'Update' ? { '.': {}, ...labels } : labels;
  if (Object.keys(meta).length) out['f:metadata'] = meta;
  if (Object.keys(spec).length) out['f:spec'] = operation === 'Update' ? { ...spec } : spec;
  Object.assign(out, top);
  return out;
}

export function fromFieldsV1(v1: Record<string, unknown> | undefined): Set<FieldKey> {
  const out = new Set<FieldKey>();
  if (!v1) return out;
  const meta = v1['f:metadata'] as Record<string, Record<string, unknown>> | undefined;
  for (const [k] of Object.entries(meta?.['f:labels'] ?? {})) if (k.startsWith('f:')) out.add(`l${SEP}${k.slice(2)}`);
  for (const [k] of Object.entries(meta?.['f:annotations'] ?? {})) if (k.startsWith('f:')) out.add(`a${SEP}${k.slice(2)}`);
  for (const [k] of Object.entries((v1['f:spec'] as Record<string, unknown>) ?? {})) if (k.startsWith('f:')) out.add(`s${SEP}${k.slice(2)}`);
  for (const k of Object.keys(v1)) if (k.startsWith('f:') && k !== 'f:metadata' && k !== 'f:spec') out.add(`t${SEP}${k.slice(2)}`);
  return out;
}

export function renderManagedFields(owners: readonly Ownership[]): ManagedFieldsEntry[] {
  return owners.map((o) => ({ manager: o.manager, operation: o.operation, apiVersion: o.apiVersion, time: o.time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(o.fields, o.operation) }));
}

export function parseManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Ownership[] {
  return (entries ?? []).map((e) => ({ manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: e.time, fields: fromFieldsV1(e.fieldsV1) }));
}

export interface Conflict {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  field: FieldKey;
}

/** The manager as the API server prints it in conflict messages. */
export function printManager(c: { manager: string; operation: string; apiVersion: string }): string {
  return c.operation === 'Update' ? `"${c.manager}" using ${c.apiVersion}` : `"${c.manager}"`;
}

/** Message of the 409 an apply gets when other managers own fields it would change. */
export function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0] as Conflict;
    return `Apply failed with 1 conflict: conflict with ${printManager(c)}: ${fieldPathString(c.field)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const m = printManager(c);
    const list = byManager.get(m) ?? [];
    list.push(fieldPathString(c.field));
    byManager.set(m, list);
  }
  const lines: string[] = [];
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${m}:`);
    for (const p of byManager.get(m) ?? []) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
