/** `application/json;as=Table;g=meta.k8s.io;v=v1` answers, as kubectl get asks for them. */
import type { KubeObject } from './managed-fields.js';

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** metav1.FormatLabelSelector: requirements sorted by key, `<none>` when empty. */
export function formatLabelSelector(sel: Selector | undefined): string {
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text = e.operator === 'In' ? `${e.key} in (${values})` : e.operator === 'NotIn' ? `${e.key} notin (${values})` : e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator}`;
    reqs.push({ key: e.key, text });
  }
  const out = reqs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : a.i - b.i))
    .map(({ r }) => r.text)
    .join(',');
  return out === '' ? '<none>' : out;
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const NAME_COL = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 };
const AGE_COL = { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 };

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && accept.includes('as=Table') && accept.includes('g=meta.k8s.io');
}

function age(o: KubeObject, nowMs: number): string {
  const t = o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(nowMs - t);
}

function partial(o: KubeObject): Record<string, unknown> {
  const { managedFields: _mf, ...metadata } = o.metadata;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

/** A Table for a list (`{items, metadata}`) or a single object of NetworkPolicies or Namespaces. */
export function toTable(kind: 'NetworkPolicy' | 'Namespace', listOrObject: Record<string, unknown>, nowMs = Date.now()): Record<string, unknown> {
  const items = Array.isArray(listOrObject.items) ? (listOrObject.items as KubeObject[]) : [listOrObject as unknown as KubeObject];
  const listMeta = Array.isArray(listOrObject.items) ? (listOrObject.metadata as Record<string, unknown>) : { resourceVersion: (listOrObject as unknown as KubeObject).metadata.resourceVersion };
  const columnDefinitions =
    kind === 'NetworkPolicy'
      ? [NAME_COL, { name: 'Pod-Selector', type: 'string', format: '', description: 'Selects the pods to which this NetworkPolicy object applies.', priority: 0 }, AGE_COL]
      : [NAME_COL, { name: 'Status', type: 'string', format: '', description: 'The status of the namespace', priority: 0 }, AGE_COL];
  const rows = items.map((o) => ({
    cells:
      kind === 'NetworkPolicy'
        ? [o.metadata.name, formatLabelSelector(o.spec?.podSelector as Selector | undefined), age(o, nowMs)]
        : [o.metadata.name, String((o.status as { phase?: string } | undefined)?.phase ?? ''), age(o, nowMs)],
    object: partial(o),
  }));
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, columnDefinitions, rows };
}
