import {
  NETWORK_POLICY_QUALIFIED_KIND,
  applyDefaults,
  fieldError,
  formatInvalidMessage,
  isDNS1123Label,
  validate,
  validateLabels,
  type FieldError,
  type NetworkPolicy,
} from '@fleetgate/netpol';
import type { Ipam } from './ipam.js';
import type { KubeObject } from './managed-fields.js';
import { namespaceSpecSchema, networkPolicySpecSchema, shape, type SchemaNode } from './schema.js';
import { NAMESPACES, NETPOL, StatusError, statusErrors, type ResourceRef } from './status.js';

/** What a kind's create/update hooks may use of their cluster: address ranges, nodes, time. */
export interface ClusterContext {
  readonly serviceIPs: Ipam;
  readonly podIPs: Ipam;
  readonly nodes: readonly { name: string; ip: string }[];
  /** A node for a new pod (round robin). */
  pickNode(): { name: string; ip: string };
  allocateNodePort(requested?: number): number | undefined;
  releaseNodePort(port: number): void;
  now(): string;
}

/** What the store needs to know about one resource type. Defaulting and validation of NetworkPolicy come from @fleetgate/netpol. */
export interface ResourceKind {
  ref: ResourceRef;
  kind: string;
  listKind: string;
  apiVersion: string;
  /** `NetworkPolicy.networking.k8s.io` — how 422 messages name the kind. */
  qualifiedKind: string;
  /** The group 422 errors name up to a Kubernetes minor version (NetworkPolicy: "extensions" until 1.26). */
  legacyErrorGroup?: { group: string; untilMinor: number };
  namespaced: boolean;
  singular: string;
  shortNames: readonly string[];
  /** Top-level spec fields the schema knows. */
  specKeys: ReadonlySet<string>;
  specSchema?: SchemaNode;
  /** Top-level fields besides metadata/spec/status (Endpoints' `subsets`), each owned as a whole. */
  topSchema?: Record<string, SchemaNode>;
  /** Status belongs to the server: dropped from what clients send, kept across their writes. */
  serverStatus?: boolean;
  /** Whether the kind carries metadata.generation. */
  generation: boolean;
  /** Field selector fields the server supports for this resource. */
  fieldSelectors: ReadonlySet<string>;
  /** Kinds with their own field-label conversion answer "field label not supported"; the rest name the two metadata fields. */
  customFieldLabels?: boolean;
  fieldValue?(obj: KubeObject, field: string): string;
  default(obj: KubeObject): KubeObject;
  validate(obj: KubeObject): FieldError[];
  /** Server-side work on create after validation (allocations, status); may throw a StatusError. */
  onCreate?(obj: KubeObject, ctx: ClusterContext): void;
  /** Carries server-set values over an update (allocations, status); may throw a StatusError. */
  onUpdate?(next: KubeObject, current: KubeObject, ctx: ClusterContext): void;
  onDelete?(obj: KubeObject, ctx: ClusterContext): void;
}

const META_KEYS = new Set(['name', 'generateName', 'namespace', 'labels', 'annotations', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'managedFields', 'ownerReferences', 'finalizers']);

export const networkPolicyKind: ResourceKind = {
  ref: NETPOL,
  kind: 'NetworkPolicy',
  listKind: 'NetworkPolicyList',
  apiVersion: 'networking.k8s.io/v1',
  qualifiedKind: NETWORK_POLICY_QUALIFIED_KIND,
  legacyErrorGroup: { group: 'extensions', untilMinor: 26 },
  namespaced: true,
  singular: 'networkpolicy',
  shortNames: ['netpol'],
  generation: true,
  specKeys: new Set(['podSelector', 'ingress', 'egress', 'policyTypes']),
  specSchema: networkPolicySpecSchema,
  fieldSelectors: new Set(['metadata.name', 'metadata.namespace']),
  default(obj) {
    // Defaulting touches only the spec; metadata is copied one level deep (the store freezes
    // what it keeps, and must never freeze a caller's objects).
    const defaulted = applyDefaults({ metadata: {}, spec: obj.spec } as unknown as NetworkPolicy) as unknown as KubeObject;
    const spec = (defaulted.spec ??= {});
    if (spec.podSelector === undefined || spec.podSelector === null) spec.podSelector = {};
    return { ...obj, metadata: copyMeta(obj.metadata), spec };
  },
  validate(obj) {
    return validate(obj);
  },
};

function copyMeta(m: KubeObject['metadata']): KubeObject['metadata'] {
  const out = { ...m };
  if (m.labels) out.labels = { ...m.labels };
  if (m.annotations) out.annotations = { ...m.annotations };
  if (m.ownerReferences !== undefined) out.ownerReferences = structuredClone(m.ownerReferences);
  if (m.finalizers !== undefined) out.finalizers = structuredClone(m.finalizers);
  return out;
}

export const namespaceKind: ResourceKind = {
  ref: NAMESPACES,
  kind: 'Namespace',
  listKind: 'NamespaceList',
  apiVersion: 'v1',
  qualifiedKind: 'Namespace',
  namespaced: false,
  singular: 'namespace',
  shortNames: ['ns'],
  generation: false,
  customFieldLabels: true,
  specKeys: new Set(['finalizers']),
  specSchema: namespaceSpecSchema,
  fieldSelectors: new Set(['metadata.name', 'status.phase']),
  default(obj) {
    const out = structuredClone(obj);
    const name = out.metadata.name ?? '';
    // The API server always sets this label to the namespace's name.
    out.metadata.labels = { ...(out.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
    out.spec = { finalizers: ['kubernetes'], ...(out.spec ?? {}) };
    out.status = { phase: 'Active', ...(out.status ?? {}) };
    return out;
  },
  validate(obj) {
    const errors: FieldError[] = [];
    const name = obj.metadata.name;
    if (!name) errors.push(fieldError.required('metadata.name', 'name or generateName is required'));
    else for (const m of isDNS1123Label(name)) errors.push(fieldError.invalid('metadata.name', name, m));
    errors.push(...validateLabels(obj.metadata.labels, 'metadata.labels'));
    return errors;
  },
};

/** The 422 for an invalid object; `minor` is the Kubernetes minor version the cluster answers as. */
export function invalidError(kind: ResourceKind, name: string, errors: readonly FieldError[], minor = 99): StatusError {
  const legacy = kind.legacyErrorGroup && minor <= kind.legacyErrorGroup.untilMinor ? kind.legacyErrorGroup.group : undefined;
  return statusErrors.invalid(
    kind.kind,
    legacy ?? kind.ref.group,
    name,
    formatInvalidMessage(legacy ? `${kind.kind}.${legacy}` : kind.qualifiedKind, name, errors),
    errors.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  );
}

/**
 * Keeps what the schema knows (the API server drops unknown fields on create/update) and, for
 * apply, reports unknown fields the way structured-merge-diff does.
 */
export function prune(kind: ResourceKind, body: KubeObject, strict: boolean): KubeObject {
  const metaIn = (body.metadata ?? {}) as Record<string, unknown>;
  const metadata: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metaIn)) {
    if (META_KEYS.has(k)) metadata[k] = v;
    else if (strict) throw new StatusError(400, 'BadRequest', `.metadata.${k}: field not declared in schema`);
  }
  const out: KubeObject = { apiVersion: kind.apiVersion, kind: kind.kind, metadata: metadata as KubeObject['metadata'] };
  if (body.spec !== undefined && body.spec !== null && kind.specSchema) {
    if (typeof body.spec !== 'object' || Array.isArray(body.spec)) throw new StatusError(400, 'BadRequest', `.spec: expected map, got ${JSON.stringify(body.spec)}`);
    out.spec = shape(body.spec, kind.specSchema, '.spec', strict) as Record<string, unknown>;
  }
  for (const [k, node] of Object.entries(kind.topSchema ?? {})) {
    const v = body[k];
    if (v === undefined || v === null) continue;
    const shaped = shape(v, node, `.${k}`, strict);
    if (Array.isArray(shaped) && shaped.length === 0) continue;
    out[k] = shaped;
  }
  for (const m of ['labels', 'annotations'] as const) {
    const v = out.metadata[m];
    if (v === null || (typeof v === 'object' && Object.keys(v).length === 0)) delete out.metadata[m];
  }
  if (strict) {
    for (const k of Object.keys(body)) {
      if (!['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(k) && !(kind.topSchema && k in kind.topSchema)) throw new StatusError(400, 'BadRequest', `.${k}: field not declared in schema`);
    }
  }
  return out;
}
