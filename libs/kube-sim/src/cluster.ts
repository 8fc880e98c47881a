import { randomBytes, randomUUID } from 'node:crypto';
import { SelectorParseError, matches, parseSelector, type Requirement } from '@fleetgate/netpol';
import type { Faults } from './faults.js';
import {
  changedFields,
  conflictMessage,
  deepEqual,
  fieldPathString,
  fieldsOf,
  parseManagedFields,
  printManager,
  renderManagedFields,
  setAt,
  valueAt,
  type Conflict,
  type FieldKey,
  type KubeObject,
  type ManagedFieldsEntry,
  type Ownership,
} from './managed-fields.js';
import { intern, internSet, internString } from './intern.js';
import { jsonPatch, mergePatch } from './patch.js';
import { invalidError, namespaceKind, networkPolicyKind, prune, type ResourceKind } from './resources.js';
import { NAMESPACES, StatusError, statusErrors } from './status.js';

export interface NamespaceSpec {
  name: string;
  labels?: Record<string, string>;
}

/** How a cluster is described when it is added (and in a fleet file). */
export interface ClusterSpec {
  name: string;
  /** Bearer token; generated when absent. */
  token?: string;
  /** Cluster labels (for fleetgate's selectors; not Kubernetes objects). */
  labels?: Record<string, string>;
  /** Free-form facts for registration: role, seed, networks, blockedCIDRs, controlPlaneNamespace. */
  meta?: Record<string, unknown>;
  namespaces?: NamespaceSpec[];
  /** NetworkPolicies present from the start, created by `kubectl-create`. */
  policies?: KubeObject[];
  /** Serve this cluster on its own port (needed for "down" to refuse connections). */
  ownPort?: boolean;
  gitVersion?: string;
}

interface Stored {
  obj: KubeObject;
  owners: Ownership[];
  /** managedFields as served, computed on first read (a stored version never changes). */
  rendered?: ManagedFieldsEntry[];
}

export interface WriteOptions {
  manager?: string;
  dryRun?: boolean;
}

export interface ApplyOptions {
  manager: string;
  force?: boolean;
  dryRun?: boolean;
}

export interface ListQuery {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface WriteResult {
  object: KubeObject;
  created: boolean;
}

const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

let lastSecond = 0;
let lastStamp = '';
/** RFC 3339 to the second, one shared string per second. */
function now(): string {
  const sec = Math.floor(Date.now() / 1000);
  if (sec !== lastSecond) {
    lastSecond = sec;
    lastStamp = new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return lastStamp;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface FieldReq {
  field: string;
  value: string;
  negate: boolean;
}

function parseFieldSelector(text: string | undefined, kind: ResourceKind): FieldReq[] {
  if (!text) return [];
  const out: FieldReq[] = [];
  for (const part of text.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const m = /^([^!=]+?)\s*(!=|==|=)\s*(.*)$/.exec(p);
    if (!m) throw statusErrors.badRequest(`invalid selector: '${text}'; can't understand '${p}'`);
    const field = (m[1] ?? '').trim();
    if (!kind.fieldSelectors.has(field)) throw statusErrors.badRequest(`field label not supported: ${field}`);
    out.push({ field, value: (m[3] ?? '').trim(), negate: m[2] === '!=' });
  }
  return out;
}

function fieldValue(obj: KubeObject, field: string): string {
  if (field === 'metadata.name') return obj.metadata.name ?? '';
  if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
  if (field === 'status.phase') return String((obj.status as Record<string, unknown> | undefined)?.phase ?? '');
  return '';
}

function parseLabelSelector(text: string | undefined): Requirement[] {
  if (!text) return [];
  try {
    return parseSelector(text);
  } catch (err) {
    if (err instanceof SelectorParseError) throw statusErrors.badRequest(`unable to parse requirement: ${err.message}`);
    throw err;
  }
}

/** One simulated cluster: its objects, ownership, resource versions, credentials and faults. */
export class SimCluster {
  readonly name: string;
  token: string;
  labels: Record<string, string>;
  meta: Record<string, unknown>;
  readonly ownPort: boolean;
  gitVersion: string;
  private currentFaults: Faults = {};
  /** Called when faults change (the server opens/closes an own-port listener on `down`). */
  onFaultsChanged: ((cluster: SimCluster) => void) | undefined;
  private rv = 1;
  private readonly namespaces = new Map<string, Stored>();
  /** Keyed `<namespace>/<name>`, the order etcd lists them in. */
  private readonly policies = new Map<string, Stored>();
  /** Requests served, by outcome class, for tests and stats. */
  readonly counters = { requests: 0, applies: 0, writes: 0 };

  constructor(spec: ClusterSpec) {
    this.name = spec.name;
    this.token = spec.token ?? randomBytes(24).toString('base64url');
    this.labels = { ...(spec.labels ?? {}) };
    this.meta = { ...(spec.meta ?? {}) };
    this.ownPort = spec.ownPort ?? false;
    this.gitVersion = spec.gitVersion ?? 'v1.32.2';
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) this.ensureNamespace({ name: ns });
    for (const ns of spec.namespaces ?? []) this.ensureNamespace(ns);
    for (const p of spec.policies ?? []) this.createNetworkPolicy(p.metadata.namespace ?? 'default', p, { manager: 'kubectl-create' });
  }

  get faults(): Faults {
    return this.currentFaults;
  }

  /** Replaces this cluster's faults (`{}` clears them). */
  set faults(f: Faults) {
    this.currentFaults = { ...f };
    this.onFaultsChanged?.(this);
  }

  /** Adds to the current faults. */
  injectFaults(f: Faults): void {
    this.faults = { ...this.currentFaults, ...f };
  }

  clearFaults(): void {
    this.faults = {};
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** Serials (lowercase hex) of the client certificates this cluster accepts. */
  readonly clientCertSerials = new Set<string>();

  /** Changes the bearer token and revokes client certificates: old credentials get 401 from now on. */
  rotateToken(token?: string): string {
    this.token = token ?? randomBytes(24).toString('base64url');
    this.clientCertSerials.clear();
    return this.token;
  }

  ensureNamespace(ns: NamespaceSpec): void {
    if (this.namespaces.has(ns.name)) return;
    this.create(namespaceKind, undefined, { metadata: { name: ns.name, labels: ns.labels } }, { manager: 'kube-apiserver' });
  }

  // ---- namespaces ----
  listNamespaces(q: ListQuery = {}): Record<string, unknown> {
    return this.list(namespaceKind, this.namespaces, q);
  }
  getNamespace(name: string): KubeObject {
    return this.render(this.mustGet(namespaceKind, this.namespaces, name, name));
  }
  createNamespace(body: unknown, opts: WriteOptions = {}): WriteResult {
    return this.create(namespaceKind, undefined, body, opts);
  }
  deleteNamespace(name: string, opts: { dryRun?: boolean } = {}): KubeObject {
    const stored = this.mustGet(namespaceKind, this.namespaces, name, name);
    if (SYSTEM_NAMESPACES.has(name)) throw new StatusError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
    const out = this.render(stored);
    out.metadata.deletionTimestamp = now();
    out.status = { phase: 'Terminating' };
    if (!opts.dryRun) {
      this.namespaces.delete(name);
      for (const key of [...this.policies.keys()]) if (key.startsWith(`${name}/`)) this.policies.delete(key);
      this.bump();
      out.metadata.resourceVersion = this.resourceVersion;
    }
    return out;
  }
  updateNamespace(name: string, body: unknown, opts: WriteOptions = {}): WriteResult {
    return this.update(namespaceKind, undefined, name, body, opts);
  }
  patchNamespace(name: string, type: 'merge' | 'json', patch: unknown, opts: WriteOptions = {}): WriteResult {
    return this.patch(namespaceKind, undefined, name, type, patch, opts);
  }
  applyNamespace(name: string, config: unknown, opts: ApplyOptions): WriteResult {
    return this.apply(namespaceKind, undefined, name, config, opts);
  }

  // ---- network policies ----
  listNetworkPolicies(q: ListQuery = {}): Record<string, unknown> {
    if (q.namespace !== undefined) this.requireNamespace(q.namespace, false);
    return this.list(networkPolicyKind, this.policies, q);
  }
  getNetworkPolicy(namespace: string, name: string): KubeObject {
    return this.render(this.mustGet(networkPolicyKind, this.policies, `${namespace}/${name}`, name));
  }
  /** The stored object without managedFields rendering, or undefined (cheap, for tests and drift helpers). */
  peekNetworkPolicy(namespace: string, name: string): KubeObject | undefined {
    const s = this.policies.get(`${namespace}/${name}`);
    return s ? this.render(s) : undefined;
  }
  createNetworkPolicy(namespace: string, body: unknown, opts: WriteOptions = {}): WriteResult {
    return this.create(networkPolicyKind, namespace, body, opts);
  }
  updateNetworkPolicy(namespace: string, name: string, body: unknown, opts: WriteOptions = {}): WriteResult {
    return this.update(networkPolicyKind, namespace, name, body, opts);
  }
  patchNetworkPolicy(namespace: string, name: string, type: 'merge' | 'json', patch: unknown, opts: WriteOptions = {}): WriteResult {
    return this.patch(networkPolicyKind, namespace, name, type, patch, opts);
  }
  applyNetworkPolicy(namespace: string, name: string, config: unknown, opts: ApplyOptions): WriteResult {
    return this.apply(networkPolicyKind, namespace, name, config, opts);
  }
  deleteNetworkPolicy(namespace: string, name: string, opts: { dryRun?: boolean } = {}): Record<string, unknown> {
    const key = `${namespace}/${name}`;
    const stored = this.mustGet(networkPolicyKind, this.policies, key, name);
    if (!opts.dryRun) {
      this.policies.delete(key);
      this.bump();
    }
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: 'networking.k8s.io', kind: 'networkpolicies', uid: stored.obj.metadata.uid } };
  }

  /** Number of NetworkPolicies (all namespaces). */
  get policyCount(): number {
    return this.policies.size;
  }

  /**
   * Edits made from outside fleetgate, exactly as a person with kubectl would make them: each
   * goes through the same paths as an HTTP request, with its own field manager.
   */
  readonly externalEdit = {
    /** `kubectl edit`/`kubectl patch --type merge`: a JSON merge patch as an Update by `manager`. */
    modify: (namespace: string, name: string, patch: Record<string, unknown>, manager = 'kubectl-edit') =>
      this.patchNetworkPolicy(namespace, name, 'merge', patch, { manager }).object,
    /** `kubectl delete networkpolicy`. */
    delete: (namespace: string, name: string) => void this.deleteNetworkPolicy(namespace, name),
    /** `kubectl create -f`. */
    add: (policy: KubeObject, manager = 'kubectl-create') => this.createNetworkPolicy(policy.metadata.namespace ?? 'default', policy, { manager }).object,
    /** `kubectl apply --server-side --field-manager <manager>`. */
    apply: (policy: KubeObject, manager = 'kubectl', force = false) =>
      this.applyNetworkPolicy(policy.metadata.namespace ?? 'default', policy.metadata.name ?? '', policy, { manager, force }).object,
  };

  // ---- snapshot ----
  toSnapshot(): ClusterSnapshot {
    return {
      name: this.name,
      token: this.token,
      labels: this.labels,
      meta: this.meta,
      ownPort: this.ownPort,
      gitVersion: this.gitVersion,
      faults: this.faults,
      resourceVersion: this.rv,
      namespaces: [...this.namespaces.values()].map((s) => this.render(s)),
      networkPolicies: [...this.policies.values()].map((s) => this.render(s)),
    };
  }

  static fromSnapshot(snap: ClusterSnapshot): SimCluster {
    const c = new SimCluster({ name: snap.name, token: snap.token, labels: snap.labels, meta: snap.meta, ownPort: snap.ownPort, gitVersion: snap.gitVersion });
    c.namespaces.clear();
    c.currentFaults = snap.faults ?? {};
    for (const o of snap.namespaces) c.namespaces.set(o.metadata.name ?? '', c.restore(o));
    for (const o of snap.networkPolicies) c.policies.set(`${o.metadata.namespace}/${o.metadata.name}`, c.restore(o));
    c.rv = snap.resourceVersion;
    return c;
  }

  private restore(o: KubeObject): Stored {
    const obj = structuredClone(o);
    const owners = parseManagedFields(obj.metadata.managedFields as ManagedFieldsEntry[] | undefined);
    delete obj.metadata.managedFields;
    return this.pack(obj, owners);
  }

  // ---- generic machinery ----
  private bump(): string {
    this.rv += 1;
    return String(this.rv);
  }

  private render(s: Stored, withKind = true): KubeObject {
    const { apiVersion, kind, ...rest } = s.obj;
    const metadata = { ...s.obj.metadata };
    if (s.owners.length) metadata.managedFields = s.rendered ??= intern(renderManagedFields(s.owners));
    return withKind ? { apiVersion, kind, ...rest, metadata } : { ...rest, metadata };
  }

  private requireNamespace(namespace: string, forWrite: boolean): void {
    if (!this.namespaces.has(namespace)) {
      if (forWrite) throw statusErrors.notFound(NAMESPACES, namespace);
    }
  }

  private mustGet(kind: ResourceKind, map: Map<string, Stored>, key: string, name: string): Stored {
    const s = map.get(key);
    if (!s) throw statusErrors.notFound(kind.ref, name);
    return s;
  }

  private mapFor(kind: ResourceKind): Map<string, Stored> {
    return kind === namespaceKind ? this.namespaces : this.policies;
  }

  private keyFor(kind: ResourceKind, namespace: string | undefined, name: string): string {
    return kind.namespaced ? `${namespace}/${name}` : name;
  }

  private list(kind: ResourceKind, map: Map<string, Stored>, q: ListQuery): Record<string, unknown> {
    const labelReqs = parseLabelSelector(q.labelSelector);
    const fieldReqs = parseFieldSelector(q.fieldSelector, kind);
    let start: string | undefined;
    if (q.continue) {
      try {
        const tok = JSON.parse(Buffer.from(q.continue, 'base64url').toString('utf8')) as { v?: string; start?: string };
        if (tok.v !== 'sim/1' || typeof tok.start !== 'string') throw new Error('bad');
        start = tok.start;
      } catch {
        throw statusErrors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
      }
    }
    const prefix = kind.namespaced && q.namespace !== undefined ? `${q.namespace}/` : undefined;
    const keys = [...map.keys()].filter((k) => (prefix === undefined || k.startsWith(prefix)) && (start === undefined || k > start)).sort();
    const limit = q.limit && q.limit > 0 ? q.limit : Infinity;
    const items: KubeObject[] = [];
    let last: string | undefined;
    let i = 0;
    for (; i < keys.length && items.length < limit; i++) {
      const key = keys[i] as string;
      const s = map.get(key) as Stored;
      if (labelReqs.length && !matches(labelReqs, s.obj.metadata.labels ?? {})) continue;
      if (fieldReqs.length && !fieldReqs.every((r) => (fieldValue(s.obj, r.field) === r.value) !== r.negate)) continue;
      items.push(this.render(s, false));
      last = key;
    }
    const metadata: Record<string, unknown> = { resourceVersion: this.resourceVersion };
    // More matches may follow: hand out a continue token (the real server does this even if the rest is filtered out).
    if (i < keys.length && last !== undefined) {
      metadata.continue = Buffer.from(JSON.stringify({ v: 'sim/1', rv: this.rv, start: last })).toString('base64url');
      if (!labelReqs.length && !fieldReqs.length) metadata.remainingItemCount = keys.length - i;
    }
    return { kind: kind.listKind, apiVersion: kind.apiVersion, metadata, items };
  }

  private checkBody(kind: ResourceKind, body: unknown, namespace: string | undefined): KubeObject {
    if (!isRecord(body)) throw statusErrors.badRequest(`the body of the request was not a ${kind.kind} object`);
    if (body.apiVersion !== undefined && body.apiVersion !== kind.apiVersion) {
      throw statusErrors.badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${kind.apiVersion})`);
    }
    if (body.kind !== undefined && body.kind !== kind.kind) {
      throw statusErrors.badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${kind.kind})`);
    }
    const meta = isRecord(body.metadata) ? body.metadata : {};
    if (kind.namespaced && meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) {
      throw statusErrors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    return { ...(body as KubeObject), metadata: meta as KubeObject['metadata'] };
  }

  private finish(kind: ResourceKind, obj: KubeObject): KubeObject {
    const defaulted = kind.default(obj);
    const errors = kind.validate(defaulted);
    if (errors.length) throw invalidError(kind, obj.metadata.name ?? '', errors);
    return defaulted;
  }

  private create(kind: ResourceKind, namespace: string | undefined, rawBody: unknown, opts: WriteOptions): WriteResult {
    const body = this.checkBody(kind, rawBody, namespace);
    const obj = prune(kind, body, false);
    if (!obj.metadata.name && typeof obj.metadata.generateName === 'string' && obj.metadata.generateName) {
      obj.metadata.name = `${obj.metadata.generateName}${randomBytes(4).toString('hex').slice(0, 5)}`;
    }
    delete obj.metadata.generateName;
    const name = obj.metadata.name ?? '';
    if (kind.namespaced) {
      obj.metadata.namespace = namespace;
      if (name) this.requireNamespace(namespace ?? '', true);
    }
    const map = this.mapFor(kind);
    const key = this.keyFor(kind, namespace, name);
    if (name && map.has(key)) throw statusErrors.alreadyExists(kind.ref, name);
    delete obj.metadata.managedFields;
    delete obj.metadata.resourceVersion;
    delete obj.metadata.deletionTimestamp;
    const finished = this.finish(kind, obj);
    const meta = finished.metadata;
    meta.uid = randomUUID();
    meta.creationTimestamp = now();
    if (kind === networkPolicyKind) meta.generation = 1;
    else delete meta.generation;
    const fields = fieldsOf(finished);
    // Namespace finalizers come from the create strategy (after field tracking), so nobody owns
    // them unless the request set them; NetworkPolicy defaults come from decoding and are owned.
    if (kind === namespaceKind && !(isRecord(body.spec) && body.spec.finalizers !== undefined)) fields.delete(`s\0finalizers`);
    const owners: Ownership[] = fields.size ? [{ manager: opts.manager ?? 'unknown', operation: 'Update', apiVersion: kind.apiVersion, time: now(), fields }] : [];
    const stored = this.pack(finished, owners);
    if (!opts.dryRun) {
      stored.obj.metadata.resourceVersion = this.bump();
      map.set(key, stored);
      this.counters.writes++;
    }
    return { object: this.render(stored), created: true };
  }

  /** Keeps the JSON key order the API server uses: apiVersion, kind, metadata, spec, status. */
  private ordered(o: KubeObject): KubeObject {
    const m = o.metadata;
    const metadata: KubeObject['metadata'] = {};
    for (const k of ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'labels', 'annotations', 'ownerReferences', 'finalizers']) {
      const v = m[k];
      if (v === undefined) continue;
      metadata[k] = typeof v === 'string' ? (k === 'namespace' || k === 'creationTimestamp' ? internString(v) : v) : intern(v);
    }
    const out: KubeObject = { apiVersion: o.apiVersion, kind: o.kind, metadata };
    if (o.spec !== undefined) out.spec = intern(o.spec);
    if (o.status !== undefined) out.status = intern(o.status);
    return out;
  }

  /** The compact stored form: interned values and ownership. */
  private pack(obj: KubeObject, owners: Ownership[]): Stored {
    return {
      obj: this.ordered(obj),
      owners: owners.map((o) => ({ manager: internString(o.manager), operation: o.operation, apiVersion: internString(o.apiVersion), time: internString(o.time), fields: internSet(o.fields) })),
    };
  }

  /** Stores `next` (already defaulted and validated) as an Update by `manager`. */
  private commitUpdate(kind: ResourceKind, key: string, current: Stored, next: KubeObject, opts: WriteOptions): WriteResult {
    const changed = changedFields(current.obj, next);
    const metaChanged = !deepEqual(current.obj.metadata.ownerReferences, next.metadata.ownerReferences) || !deepEqual(current.obj.metadata.finalizers, next.metadata.finalizers);
    if (changed.size === 0 && !metaChanged) return { object: this.render(current), created: false };
    const manager = opts.manager ?? 'unknown';
    const present = fieldsOf(next);
    const owners: Ownership[] = [];
    let mine: Ownership | undefined;
    for (const o of current.owners) {
      if (o.manager === manager && o.operation === 'Update') {
        mine = o;
        continue;
      }
      const fields = new Set([...o.fields].filter((f) => !changed.has(f)));
      if (fields.size) owners.push(fields.size === o.fields.size ? o : { ...o, fields });
    }
    const mineFields = new Set<FieldKey>([...(mine?.fields ?? [])].filter((f) => present.has(f)));
    for (const f of changed) if (present.has(f)) mineFields.add(f);
    if (mineFields.size) owners.push({ manager, operation: 'Update', apiVersion: kind.apiVersion, time: now(), fields: mineFields });
    const meta = next.metadata;
    meta.uid = current.obj.metadata.uid;
    meta.creationTimestamp = current.obj.metadata.creationTimestamp;
    meta.namespace = current.obj.metadata.namespace;
    const gen = current.obj.metadata.generation;
    if (gen !== undefined) meta.generation = deepEqual(current.obj.spec, next.spec) ? gen : gen + 1;
    meta.resourceVersion = current.obj.metadata.resourceVersion;
    const stored = this.pack(next, owners);
    if (!opts.dryRun) {
      stored.obj.metadata.resourceVersion = this.bump();
      this.mapFor(kind).set(key, stored);
      this.counters.writes++;
    }
    return { object: this.render(stored), created: false };
  }

  private update(kind: ResourceKind, namespace: string | undefined, name: string, rawBody: unknown, opts: WriteOptions): WriteResult {
    const body = this.checkBody(kind, rawBody, namespace);
    if (body.metadata.name !== name) {
      throw statusErrors.badRequest(`the name of the object (${String(body.metadata.name ?? '')}) does not match the name on the URL (${name})`);
    }
    const key = this.keyFor(kind, namespace, name);
    const current = this.mustGet(kind, this.mapFor(kind), key, name);
    const rv = body.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== current.obj.metadata.resourceVersion) throw statusErrors.conflict(kind.ref, name);
    const next = prune(kind, body, false);
    next.metadata.namespace = namespace;
    if (kind === namespaceKind) next.status = current.obj.status;
    return this.commitUpdate(kind, key, current, this.finish(kind, next), opts);
  }

  private patch(kind: ResourceKind, namespace: string | undefined, name: string, type: 'merge' | 'json', patch: unknown, opts: WriteOptions): WriteResult {
    const key = this.keyFor(kind, namespace, name);
    const current = this.mustGet(kind, this.mapFor(kind), key, name);
    const base = this.render(current);
    let patched: unknown;
    if (type === 'merge') {
      if (!isRecord(patch)) throw statusErrors.badRequest('json: cannot unmarshal into Go value of type map[string]interface {}');
      patched = mergePatch(base, patch);
    } else {
      patched = jsonPatch(base, patch);
    }
    if (!isRecord(patched) || !isRecord(patched.metadata)) throw statusErrors.badRequest('patch produced an object without metadata');
    const pm = patched.metadata;
    if (pm.name !== name) throw statusErrors.badRequest(`the name of the object (${String(pm.name)}) does not match the name on the URL (${name})`);
    if (pm.resourceVersion !== undefined && pm.resourceVersion !== current.obj.metadata.resourceVersion) throw statusErrors.conflict(kind.ref, name);
    const body = this.checkBody(kind, patched, namespace);
    const next = prune(kind, body, false);
    next.metadata.namespace = namespace;
    if (kind === namespaceKind) next.status = current.obj.status;
    return this.commitUpdate(kind, key, current, this.finish(kind, next), opts);
  }

  /** Server-side apply with structured-merge-diff ownership and conflicts. */
  private apply(kind: ResourceKind, namespace: string | undefined, name: string, rawConfig: unknown, opts: ApplyOptions): WriteResult {
    if (!opts.manager) {
      throw new StatusError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      });
    }
    if (!isRecord(rawConfig)) throw statusErrors.badRequest('error decoding YAML: the apply configuration must be an object');
    if (rawConfig.apiVersion === undefined || rawConfig.apiVersion === '') throw statusErrors.badRequest(`Object 'apiVersion' is missing in '${JSON.stringify(rawConfig)}'`);
    if (rawConfig.kind === undefined || rawConfig.kind === '') throw statusErrors.badRequest(`Object 'Kind' is missing in '${JSON.stringify(rawConfig)}'`);
    const body = this.checkBody(kind, rawConfig, namespace);
    if (body.metadata.name !== name) {
      throw statusErrors.badRequest(`the name of the object (${String(body.metadata.name ?? '')}) does not match the name on the URL (${name})`);
    }
    if (body.metadata.managedFields !== undefined) throw statusErrors.badRequest('metadata.managedFields must be nil');
    const config = prune(kind, body, true);
    // An applier owns what it set, even an empty list that the Go types then drop (`ingress: []`).
    const cfgFields = fieldsOf({
      metadata: body.metadata,
      spec: isRecord(body.spec) ? Object.fromEntries(Object.entries(body.spec).filter(([k]) => kind.specKeys.has(k))) : undefined,
    });
    const key = this.keyFor(kind, namespace, name);
    const map = this.mapFor(kind);
    const current = map.get(key);
    if (!current && kind.namespaced) this.requireNamespace(namespace ?? '', true);
    const manager = opts.manager;
    const live = current?.obj;
    const prevMine = current?.owners.find((o) => o.manager === manager && o.operation === 'Apply');
    const othersOwn = (f: FieldKey) => (current?.owners ?? []).some((o) => o !== prevMine && o.fields.has(f));

    // Merge: fields this manager applied before and dropped now go away unless someone else owns them.
    // Fast path for the steady state (an applier re-sending what it applied): every applied
    // field already holds its defaulted value and nothing was dropped, so nothing can change.
    if (current && prevMine && prevMine.fields.size === cfgFields.size && [...cfgFields].every((f) => prevMine.fields.has(f))) {
      const defaultedConfig = kind.default(config);
      if ([...cfgFields].every((f) => deepEqual(valueAt(defaultedConfig, f), valueAt(current.obj, f)))) {
        this.counters.applies++;
        return { object: this.render(current), created: false };
      }
    }
    // Shallow copies are enough: setAt replaces top-level spec fields and label/annotation
    // entries, and finish() (defaulting) deep-copies before anything is stored.
    const merged: KubeObject = live
      ? {
          ...live,
          metadata: { ...live.metadata, labels: live.metadata.labels && { ...live.metadata.labels }, annotations: live.metadata.annotations && { ...live.metadata.annotations } },
          spec: live.spec && { ...live.spec },
        }
      : { apiVersion: kind.apiVersion, kind: kind.kind, metadata: { name, namespace } };
    if (merged.metadata.labels === undefined) delete merged.metadata.labels;
    if (merged.metadata.annotations === undefined) delete merged.metadata.annotations;
    if (merged.spec === undefined) delete merged.spec;
    if (prevMine) for (const f of prevMine.fields) if (!cfgFields.has(f) && !othersOwn(f)) setAt(merged, f, undefined);
    for (const f of cfgFields) setAt(merged, f, valueAt(config, f));
    for (const k of ['ownerReferences', 'finalizers']) if (config.metadata[k] !== undefined) merged.metadata[k] = config.metadata[k];
    if (!kind.namespaced) delete merged.metadata.namespace;
    else merged.metadata.namespace = namespace;
    const next = this.finish(kind, merged);
    const changed = changedFields(live, next);

    // Conflicts: another manager owns a field this apply sets to a different value. The values
    // are compared after NetworkPolicy's (deserialization-time) defaulting, so two managers that
    // apply the same configuration share ownership even when the server fills in `protocol` or
    // `policyTypes` (kubernetes/kubernetes#129960 describes this as the upstream behaviour). An
    // Update entry of the same manager name is another manager, as upstream (#107417).
    const conflicts: Conflict[] = [];
    for (const o of current?.owners ?? []) {
      if (o === prevMine) continue;
      for (const f of o.fields) if (cfgFields.has(f) && changed.has(f)) conflicts.push({ manager: o.manager, operation: o.operation, apiVersion: o.apiVersion, field: f });
    }
    if (conflicts.length && !opts.force) {
      conflicts.sort((a, b) => (a.manager === b.manager ? fieldPathString(a.field).localeCompare(fieldPathString(b.field)) : a.manager.localeCompare(b.manager)));
      throw new StatusError(409, 'Conflict', conflictMessage(conflicts), {
        causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c)}`, field: fieldPathString(c.field) })),
      });
    }
    const taken = new Set(conflicts.map((c) => c.field));
    const present = fieldsOf(next);
    const owners: Ownership[] = [];
    let ownersChanged = !prevMine || prevMine.fields.size !== cfgFields.size || [...cfgFields].some((f) => !prevMine.fields.has(f));
    for (const o of current?.owners ?? []) {
      if (o === prevMine) continue;
      // Updaters lose what this apply changed; forced conflicts move to the applier; removed fields belong to nobody.
      const fields = new Set([...o.fields].filter((f) => present.has(f) && !taken.has(f) && !(changed.has(f) && o.operation === 'Update' && cfgFields.has(f))));
      if (fields.size !== o.fields.size) ownersChanged = true;
      if (fields.size) owners.push(fields.size === o.fields.size ? o : { ...o, fields });
    }
    if (cfgFields.size) {
      owners.push({ manager, operation: 'Apply', apiVersion: kind.apiVersion, time: ownersChanged || changed.size || !prevMine ? now() : prevMine.time, fields: cfgFields });
    }
    this.counters.applies++;
    if (current && changed.size === 0 && !ownersChanged) return { object: this.render(current), created: false };
    if (!current) {
      next.metadata.uid = randomUUID();
      next.metadata.creationTimestamp = now();
      if (kind === networkPolicyKind) next.metadata.generation = 1;
    } else {
      const gen = current.obj.metadata.generation;
      if (gen !== undefined) next.metadata.generation = deepEqual(current.obj.spec, next.spec) ? gen : gen + 1;
    }
    const stored = this.pack(next, owners);
    if (!opts.dryRun) {
      stored.obj.metadata.resourceVersion = this.bump();
      map.set(key, stored);
      this.counters.writes++;
    } else if (!current) {
      delete stored.obj.metadata.resourceVersion;
    }
    return { object: this.render(stored), created: !current };
  }
}

export interface ClusterSnapshot {
  name: string;
  token: string;
  labels: Record<string, string>;
  meta: Record<string, unknown>;
  ownPort: boolean;
  gitVersion: string;
  faults?: Faults;
  resourceVersion: number;
  namespaces: KubeObject[];
  networkPolicies: KubeObject[];
}
