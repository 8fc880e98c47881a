/**
 * What the API server's Go types do to a NetworkPolicy on the way in and out: fields the schema
 * does not know are dropped (create/update) or refused (apply, "field not declared in schema"),
 * and `omitempty` fields that are empty or null disappear — `ingress: []` is stored and served
 * as no `ingress` at all, while a non-nil pointer such as `namespaceSelector: {}` stays.
 */
import { StatusError } from './status.js';

type Node =
  | { t: 'struct'; fields: Record<string, { node: Node; omitEmpty: boolean; pointer?: boolean }> }
  | { t: 'list'; item: Node }
  | { t: 'map' }
  | { t: 'scalar' };

const scalar: Node = { t: 'scalar' };
const strings: Node = { t: 'list', item: scalar };
const f = (node: Node, omitEmpty = true, pointer = false) => ({ node, omitEmpty, pointer });

const requirement: Node = { t: 'struct', fields: { key: f(scalar, false), operator: f(scalar, false), values: f(strings) } };
const selector: Node = { t: 'struct', fields: { matchLabels: f({ t: 'map' }), matchExpressions: f({ t: 'list', item: requirement }) } };
const ipBlock: Node = { t: 'struct', fields: { cidr: f(scalar, false), except: f(strings) } };
const peer: Node = { t: 'struct', fields: { podSelector: f(selector, true, true), namespaceSelector: f(selector, true, true), ipBlock: f(ipBlock, true, true) } };
const port: Node = { t: 'struct', fields: { protocol: f(scalar, true, true), port: f(scalar, true, true), endPort: f(scalar, true, true) } };
const ingressRule: Node = { t: 'struct', fields: { ports: f({ t: 'list', item: port }), from: f({ t: 'list', item: peer }) } };
const egressRule: Node = { t: 'struct', fields: { ports: f({ t: 'list', item: port }), to: f({ t: 'list', item: peer }) } };

export const networkPolicySpecSchema: Node = {
  t: 'struct',
  fields: {
    podSelector: f(selector, false),
    ingress: f({ t: 'list', item: ingressRule }),
    egress: f({ t: 'list', item: egressRule }),
    policyTypes: f(strings),
  },
};

export const namespaceSpecSchema: Node = { t: 'struct', fields: { finalizers: f(strings) } };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function empty(v: unknown, pointer: boolean): boolean {
  if (v === null || v === undefined) return true;
  if (pointer) return false;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return v === '' || v === 0 || v === false;
}

/**
 * Returns a copy shaped by the Go types. Wrongly typed values are kept as they are, so that
 * validation reports them. With `strict`, unknown fields throw as structured-merge-diff does.
 */
export function shape(value: unknown, node: Node, path: string, strict: boolean): unknown {
  switch (node.t) {
    case 'scalar':
      return value;
    case 'map':
      return isPlainObject(value) ? { ...value } : value;
    case 'list':
      return Array.isArray(value) ? value.map((item, i) => shape(item, node.item, `${path}[${i}]`, strict)) : value;
    case 'struct': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const field = node.fields[k];
        if (!field) {
          if (strict) throw new StatusError(400, 'BadRequest', `${path}.${k}: field not declared in schema`);
          continue;
        }
        if (v === null || v === undefined) continue;
        const shaped = shape(v, field.node, `${path}.${k}`, strict);
        // Scalars keep zero values here (e.g. port 0 must reach validation); only collections and
        // nil pointers vanish, as omitempty does for the types NetworkPolicy uses.
        if (field.omitEmpty && (Array.isArray(shaped) || isPlainObject(shaped)) && empty(shaped, !!field.pointer)) continue;
        out[k] = shaped;
      }
      return out;
    }
    default:
      return value;
  }
}
