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
import { freeze, intern, internSet, internString } from './intern.js';
import { jsonPatch, mergePatch } from './patch.js';
import { Ipam, ipv4ToInt, intToIpv4, parseIpv4Cidr } from './ipam.js';
import { invalidError, namespaceKind, networkPolicyKind, prune, type ClusterContext, type ResourceKind } from './resources.js';
import { KINDS, kindOf } from './kinds.js';
import { NAMESPACES, StatusError, statusErrors } from './status.js';
import { EventWindow, eventFor, type ChangeEvent, type WatchEventType } from './watch.js';
import { syncDaemonSetPods, syncEndpoints, deleteOwnedPods } from './controllers.js';

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
  /** Other objects present from the start (Pods, Services, Endpoints, DaemonSets, NetworkPolicies), created as `kubectl-create`. */
  objects?: KubeObject[];
  /** Worker nodes pods are scheduled on (default 3). */
  nodes?: number;
  /** Changes kept for watches and continued lists (default 1000). */
  watchWindow?: number;
  /** Serve this cluster on its own port (needed for "down" to refuse connections). */
  ownPort?: boolean;
  gitVersion?: string;
  /** Kubernetes version to answer as: "1.26", "1.32", "v1.26.1" (sets gitVersion; default 1.32). */
  kubeVersion?: string;
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
  /** For watches: where to start ("" or "0": the current state as ADDED events). */
  resourceVersion?: string;
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
    if (!kind.fieldSelectors.has(field)) {
      // Kinds with their own field-label conversion (pods, namespaces) and the default one word it differently.
      throw statusErrors.badRequest(kind.customFieldLabels ? `field label not supported: ${field}` : `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
    out.push({ field, value: (m[3] ?? '').trim(), negate: m[2] === '!=' });
  }
  return out;
}

function fieldValue(kind: ResourceKind, obj: KubeObject, field: string): string {
  if (field === 'metadata.name') return obj.metadata.name ?? '';
  if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
  if (kind.fieldValue) return kind.fieldValue(obj, field);
  if (field === 'status.phase') return String((obj.status as Record<string, unknown> | undefined)?.phase ?? '');
  return '';
}

/** A running watch: `stop()` ends it. */
export interface WatchHandle {
  stop(): void;
}

/** What a watch delivers: the event type and the object as served. */
export type WatchSink = (type: WatchEventType, object: KubeObject) => void;

export const DEFAULT_KUBE_VERSION = '1.32';
const PATCH_RELEASES: Record<string, string> = { '1.26': 'v1.26.1', '1.32': 'v1.32.2' };

/** `1.26` → `v1.26.1` (the releases the contract was checked against), `1.30` → `v1.30.0`, `v1.29.3` as given. */
export function gitVersionOf(version: string): string {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version.trim());
  if (!m) throw new Error(`kube version "${version}" must look like 1.26 or v1.26.1`);
  const minor = `${m[1]}.${m[2]}`;
  return m[3] !== undefined ? `v${minor}.${m[3]}` : (PATCH_RELEASES[minor] ?? `v${minor}.0`);
}

const DEFAULT_NETWORKS = { pods: '10.244.0.0/16', services: '10.96.0.0/12', nodes: '10.250.0.0/24' };

function parseLabelSelector(text: string | undefined): Requirement[] {
  if (!text) return [];
  try {
    return parseSelector(text);
  } catch (err) {
    if (err instanceof SelectorParseError) throw statusErrors.badRequest(`unable to parse requirement: ${err.message}`);
    throw err;
  }
}

/** One simulated cluster: its objects, ownership, resource versions, credentials, watches and faults. */
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
  /** Objects by kind, each keyed `<namespace>/<name>` (or `<name>`), the order etcd lists them in. */
  private readonly stores = new Map<ResourceKind, Map<string, Stored>>();
  private readonly window: EventWindow<Stored>;
  private watchers: Set<{ kind: ResourceKind; deliver(e: ChangeEvent<Stored>): void }> | undefined;
  /** While the constructor loads the initial objects: no events, controllers run once at the end. */
  private loading = true;
  /** How often a watch that asked for bookmarks gets one (kube-apiserver: about a minute). */
  watchBookmarkIntervalMs = 60_000;
  /** Requests served, by outcome class, for tests and stats. */
  readonly counters = { requests: 0, applies: 0, writes: 0 };
  private readonly ctx: ClusterContext;

  constructor(spec: ClusterSpec) {
    this.name = spec.name;
    this.token = spec.token ?? randomBytes(24).toString('base64url');
    this.labels = { ...(spec.labels ?? {}) };
    this.meta = { ...(spec.meta ?? {}) };
    this.ownPort = spec.ownPort ?? false;
    this.gitVersion = spec.gitVersion ?? gitVersionOf(spec.kubeVersion ?? DEFAULT_KUBE_VERSION);
    this.ctx = this.makeContext(spec.nodes ?? 3);
    this.window = new EventWindow<Stored>(this.rv, spec.watchWindow);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) this.ensureNamespace({ name: ns });
    for (const ns of spec.namespaces ?? []) this.ensureNamespace(ns);
    this.createBuiltins();
    for (const p of spec.policies ?? []) this.createNetworkPolicy(p.metadata.namespace ?? 'default', p, { manager: 'kubectl-create' });
    for (const o of spec.objects ?? []) {
      const kind = kindOf(o.apiVersion, o.kind);
      if (!kind) throw new Error(`cluster "${spec.name}": unknown kind ${String(o.apiVersion)}/${String(o.kind)}`);
      this.createObject(kind, o.metadata.namespace, o, { manager: 'kubectl-create' });
    }
    this.finishLoading();
  }

  private finishLoading(): void {
    for (const ds of this.map(KINDS.daemonSet).values()) syncDaemonSetPods(this, ds.obj);
    const namespaces = new Set<string>();
    for (const s of this.map(KINDS.service).values()) namespaces.add(s.obj.metadata.namespace ?? '');
    for (const ns of namespaces) syncEndpoints(this, ns);
    this.loading = false;
    this.window.startRv = this.rv;
  }

  /** The kinds this cluster serves (for `watch`, `listObjects` and friends). */
  readonly kinds = KINDS;

  /** The worker nodes pods are scheduled on. */
  get nodes(): readonly { name: string; ip: string }[] {
    return this.ctx.nodes;
  }

  private makeContext(nodeCount: number): ClusterContext {
    const nets = (this.meta.networks ?? {}) as { pods?: string; services?: string; nodes?: string };
    const cidr = (v: string | undefined, d: string) => (v && parseIpv4Cidr(v) ? v : d);
    const nodeNet = parseIpv4Cidr(cidr(nets.nodes, DEFAULT_NETWORKS.nodes)) as { base: number; size: number };
    const nodes = Array.from({ length: nodeCount }, (_, i) => ({
      name: internString(`node-${i + 1}`),
      ip: intToIpv4(nodeNet.base + ((10 + i) % Math.max(2, nodeNet.size - 2))),
    }));
    let nextNode = 0;
    let nodePorts: Set<number> | undefined;
    return {
      serviceIPs: new Ipam(cidr(nets.services, DEFAULT_NETWORKS.services)),
      podIPs: new Ipam(cidr(nets.pods, DEFAULT_NETWORKS.pods)),
      nodes,
      pickNode: () => nodes[nextNode++ % nodes.length] as { name: string; ip: string },
      allocateNodePort: (requested) => {
        nodePorts ??= new Set();
        if (requested !== undefined) {
          nodePorts.add(requested);
          return requested;
        }
        for (let p = 30000; p <= 32767; p++) {
          if (!nodePorts.has(p)) {
            nodePorts.add(p);
            return p;
          }
        }
        return undefined;
      },
      releaseNodePort: (p) => void nodePorts?.delete(p),
      now,
    };
  }

  /** The `kubernetes` Service and its Endpoints in `default`, as every cluster has them. */
  private createBuiltins(): void {
    const apiIP = this.ctx.nodes[0]?.ip ?? '10.250.0.10';
    const first = intToIpv4((ipv4ToInt(this.ctx.serviceIPs.cidr.split('/')[0] ?? '') ?? 0) + 1);
    const labels = { component: 'apiserver', provider: 'kubernetes' };
    this.createObject(KINDS.service, 'default', { metadata: { name: 'kubernetes', labels }, spec: { clusterIP: first, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] } }, { manager: 'kube-apiserver' });
    this.createObject(KINDS.endpoints, 'default', { metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets: [{ addresses: [{ ip: apiIP }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }] }, { manager: 'kube-apiserver' });
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

  /** Kubernetes minor version this cluster answers as (from gitVersion). */
  get minorVersion(): number {
    return Number(/^v\d+\.(\d+)/.exec(this.gitVersion)?.[1] ?? 32);
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
    if (this.map(namespaceKind).has(ns.name)) return;
    this.create(namespaceKind, undefined, { metadata: { name: ns.name, labels: ns.labels } }, { manager: 'kube-apiserver' });
  }

  // ---- any kind ----
  listObjects(kind: ResourceKind, q: ListQuery = {}): Record<string, unknown> {
    if (kind.namespaced && q.namespace !== undefined) this.requireNamespace(q.namespace, false);
    return this.list(kind, q);
  }
  getObject(kind: ResourceKind, namespace: string | undefined, name: string): KubeObject {
    return this.render(this.mustGet(kind, this.keyFor(kind, namespace, name), name));
  }
  /** The stored object or undefined (cheap, for tests and controllers). */
  peekObject(kind: ResourceKind, namespace: string | undefined, name: string): KubeObject | undefined {
    const s = this.map(kind).get(this.keyFor(kind, namespace, name));
    return s ? this.render(s) : undefined;
  }
  /** Stored objects of a kind (optionally in one namespace), frozen and without managedFields. */
  *objects(kind: ResourceKind, namespace?: string): Generator<KubeObject> {
    for (const [key, s] of this.map(kind)) if (namespace === undefined || key.startsWith(`${namespace}/`)) yield s.obj;
  }
  count(kind: ResourceKind): number {
    return this.stores.get(kind)?.size ?? 0;
  }
  createObject(kind: ResourceKind, namespace: string | undefined, body: unknown, opts: WriteOptions = {}): WriteResult {
    return this.create(kind, kind.namespaced ? namespace : undefined, body, opts);
  }
  updateObject(kind: ResourceKind, namespace: string | undefined, name: string, body: unknown, opts: WriteOptions = {}): WriteResult {
    return this.update(kind, kind.namespaced ? namespace : undefined, name, body, opts);
  }
  patchObject(kind: ResourceKind, namespace: string | undefined, name: string, type: 'merge' | 'json', patch: unknown, opts: WriteOptions = {}): WriteResult {
    return this.patch(kind, kind.namespaced ? namespace : undefined, name, type, patch, opts);
  }
  applyObject(kind: ResourceKind, namespace: string | undefined, name: string, config: unknown, opts: ApplyOptions): WriteResult {
    return this.apply(kind, kind.namespaced ? namespace : undefined, name, config, opts);
  }
  deleteObject(kind: ResourceKind, namespace: string | undefined, name: string, opts: { dryRun?: boolean } = {}): Record<string, unknown> {
    if (kind === namespaceKind) return this.deleteNamespace(name, opts) as unknown as Record<string, unknown>;
    const key = this.keyFor(kind, namespace, name);
    const stored = this.mustGet(kind, key, name);
    const out = this.render(stored);
    if (!opts.dryRun) {
      this.remove(kind, key, stored);
      out.metadata.resourceVersion = this.resourceVersion;
    }
    // Pods and Services answer with the deleted object, the other kinds with a Status.
    if (kind === KINDS.pod || kind === KINDS.service) return out as unknown as Record<string, unknown>;
    const details = kind.ref.group ? { name, group: kind.ref.group, kind: kind.ref.resource, uid: stored.obj.metadata.uid } : { name, kind: kind.ref.resource, uid: stored.obj.metadata.uid };
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
  }

  // ---- namespaces ----
  listNamespaces(q: ListQuery = {}): Record<string, unknown> {
    return this.list(namespaceKind, q);
  }
  getNamespace(name: string): KubeObject {
    return this.render(this.mustGet(namespaceKind, name, name));
  }
  createNamespace(body: unknown, opts: WriteOptions = {}): WriteResult {
    return this.create(namespaceKind, undefined, body, opts);
  }
  deleteNamespace(name: string, opts: { dryRun?: boolean } = {}): KubeObject {
    const stored = this.mustGet(namespaceKind, name, name);
    if (SYSTEM_NAMESPACES.has(name)) throw new StatusError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
    const out = this.render(stored);
    out.metadata.deletionTimestamp = now();
    out.status = { phase: 'Terminating' };
    if (!opts.dryRun) {
      // The namespace controller deletes what the namespace holds, then the namespace goes.
      for (const kind of this.stores.keys()) {
        if (!kind.namespaced) continue;
        const map = this.map(kind);
        for (const [key, s] of [...map]) if (key.startsWith(`${name}/`)) this.remove(kind, key, s);
      }
      this.remove(namespaceKind, name, stored);
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
    return this.listObjects(networkPolicyKind, q);
  }
  getNetworkPolicy(namespace: string, name: string): KubeObject {
    return this.getObject(networkPolicyKind, namespace, name);
  }
  /** The stored object without managedFields rendering, or undefined (cheap, for tests and drift helpers). */
  peekNetworkPolicy(namespace: string, name: string): KubeObject | undefined {
    return this.peekObject(networkPolicyKind, namespace, name);
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
    return this.deleteObject(networkPolicyKind, namespace, name, opts);
  }

  /** Number of NetworkPolicies (all namespaces). */
  get policyCount(): number {
    return this.count(networkPolicyKind);
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

  // ---- watch ----

  /**
   * Starts a watch (kube-apiserver semantics): with no resourceVersion or "0" the current state
   * comes first as ADDED events; with a resourceVersion the changes after it are replayed, or,
   * when it is older than the event window, `expired` holds the "too old resource version"
   * message and nothing is delivered. Events arrive synchronously through `sink`.
   */
  watch(kind: ResourceKind, q: ListQuery, sink: WatchSink): WatchHandle | { expired: string } {
    if (kind.namespaced && q.namespace !== undefined) this.requireNamespace(q.namespace, false);
    const matches = this.matcher(kind, q);
    const rvText = q.resourceVersion ?? '';
    const deliver = (e: ChangeEvent<Stored>) => {
      const ev = eventFor({ kind, matches }, e);
      if (!ev) return;
      const object = this.render(ev.value);
      if (ev.type === 'DELETED' || e.type === 'DELETED') object.metadata.resourceVersion = String(e.rv);
      sink(ev.type, object);
    };
    if (rvText === '' || rvText === '0') {
      const prefix = kind.namespaced && q.namespace !== undefined ? `${q.namespace}/` : undefined;
      for (const [key, s] of this.map(kind)) if ((prefix === undefined || key.startsWith(prefix)) && matches(s)) sink('ADDED', this.render(s));
    } else {
      const from = Number(rvText);
      if (!/^\d+$/.test(rvText)) throw statusErrors.badRequest(`resourceVersion: Invalid value: "${rvText}": strconv.ParseUint: parsing "${rvText}": invalid syntax`);
      if (from > this.rv) {
        throw new StatusError(504, 'Timeout', `Too large resource version: ${from}, current: ${this.rv}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
      }
      if (from < this.window.startRv) return { expired: `too old resource version: ${from} (${this.window.startRv})` };
      for (const e of this.window.since(from)) deliver(e);
    }
    const w = { kind, deliver };
    (this.watchers ??= new Set()).add(w);
    return { stop: () => void this.watchers?.delete(w) };
  }

  /** Number of open watches (for tests and stats). */
  get watchCount(): number {
    return this.watchers?.size ?? 0;
  }

  /** Forgets all changes so far: a watch or continue from an older resourceVersion now gets 410 Expired. */
  compactEvents(): void {
    this.window.compact(this.rv);
  }

  /** How many changes the window keeps (older ones expire). */
  get watchWindow(): number {
    return this.window.capacity;
  }
  set watchWindow(n: number) {
    this.window.capacity = Math.max(1, Math.floor(n));
  }

  private matcher(kind: ResourceKind, q: ListQuery): (s: Stored) => boolean {
    const labelReqs = parseLabelSelector(q.labelSelector);
    const fieldReqs = parseFieldSelector(q.fieldSelector, kind);
    const ns = kind.namespaced ? q.namespace : undefined;
    return (s) =>
      (ns === undefined || s.obj.metadata.namespace === ns) &&
      (!labelReqs.length || matches(labelReqs, s.obj.metadata.labels ?? {})) &&
      (!fieldReqs.length || fieldReqs.every((r) => (fieldValue(kind, s.obj, r.field) === r.value) !== r.negate));
  }

  /** Records a change for watches and continued lists, then lets the controllers react. */
  private changed(kind: ResourceKind, type: WatchEventType, key: string, obj: Stored | undefined, prev: Stored | undefined): void {
    if (this.loading) return;
    const e: ChangeEvent<Stored> = { rv: this.rv, kind, type, key, obj, prev };
    this.window.push(e);
    if (this.watchers) for (const w of this.watchers) if (w.kind === kind) w.deliver(e);
    const ns = (obj ?? prev)?.obj.metadata.namespace;
    if ((kind === KINDS.pod || kind === KINDS.service) && ns !== undefined) syncEndpoints(this, ns);
    if (kind === KINDS.daemonSet) {
      if (type === 'DELETED' && prev) deleteOwnedPods(this, prev.obj);
      else if (obj) syncDaemonSetPods(this, obj.obj);
    }
  }

  /** Sets server-owned status (controllers), as a write of its own. */
  setStatus(kind: ResourceKind, namespace: string | undefined, name: string, status: Record<string, unknown>): void {
    const key = this.keyFor(kind, namespace, name);
    const cur = this.map(kind).get(key);
    if (!cur || deepEqual(cur.obj.status, status)) return;
    const next: Stored = { obj: this.ordered({ ...cur.obj, metadata: { ...cur.obj.metadata }, status }), owners: cur.owners };
    next.obj.metadata.resourceVersion = this.bump();
    this.map(kind).set(key, next);
    this.changed(kind, 'MODIFIED', key, next, cur);
  }

  // ---- snapshot ----
  toSnapshot(): ClusterSnapshot {
    const objects: KubeObject[] = [];
    for (const [kind, map] of this.stores) if (kind !== namespaceKind && kind !== networkPolicyKind) for (const s of map.values()) objects.push(this.render(s));
    return {
      name: this.name,
      token: this.token,
      labels: this.labels,
      meta: this.meta,
      ownPort: this.ownPort,
      gitVersion: this.gitVersion,
      faults: this.faults,
      resourceVersion: this.rv,
      nodes: this.ctx.nodes.length,
      namespaces: [...this.map(namespaceKind).values()].map((s) => this.render(s)),
      networkPolicies: [...this.map(networkPolicyKind).values()].map((s) => this.render(s)),
      objects,
    };
  }

  static fromSnapshot(snap: ClusterSnapshot): SimCluster {
    const c = new SimCluster({ name: snap.name, token: snap.token, labels: snap.labels, meta: snap.meta, ownPort: snap.ownPort, gitVersion: snap.gitVersion, nodes: snap.nodes });
    c.stores.clear();
    c.currentFaults = snap.faults ?? {};
    c.ctx.serviceIPs.release(intToIpv4((ipv4ToInt(c.ctx.serviceIPs.cidr.split('/')[0] ?? '') ?? 0) + 1));
    for (const o of snap.namespaces) c.map(namespaceKind).set(o.metadata.name ?? '', c.restore(o));
    for (const o of snap.networkPolicies) c.map(networkPolicyKind).set(`${o.metadata.namespace}/${o.metadata.name}`, c.restore(o));
    for (const o of snap.objects ?? []) {
      const kind = kindOf(o.apiVersion, o.kind);
      if (!kind) continue;
      c.map(kind).set(c.keyFor(kind, o.metadata.namespace, o.metadata.name ?? ''), c.restore(o));
      const ip = kind === KINDS.service ? o.spec?.clusterIP : kind === KINDS.pod && o.spec?.hostNetwork !== true ? o.status?.podIP : undefined;
      if (typeof ip === 'string' && ip !== 'None') (kind === KINDS.service ? c.ctx.serviceIPs : c.ctx.podIPs).take(ip);
      if (kind === KINDS.service) for (const p of (o.spec?.ports ?? []) as Array<{ nodePort?: number }>) if (typeof p.nodePort === 'number') c.ctx.allocateNodePort(p.nodePort);
    }
    c.rv = snap.resourceVersion;
    c.window.compact(c.rv);
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
    if (!this.map(namespaceKind).has(namespace)) {
      if (forWrite) throw statusErrors.notFound(NAMESPACES, namespace);
    }
  }

  private mustGet(kind: ResourceKind, key: string, name: string): Stored {
    const s = this.map(kind).get(key);
    if (!s) throw statusErrors.notFound(kind.ref, name);
    return s;
  }

  private map(kind: ResourceKind): Map<string, Stored> {
    let m = this.stores.get(kind);
    if (!m) {
      m = new Map();
      this.stores.set(kind, m);
    }
    return m;
  }

  private keyFor(kind: ResourceKind, namespace: string | undefined, name: string): string {
    return kind.namespaced ? `${namespace}/${name}` : name;
  }

  /** Stores a new version (not for dry runs) and records the change. */
  private store(kind: ResourceKind, key: string, next: Stored, prev: Stored | undefined): void {
    next.obj.metadata.resourceVersion = this.bump();
    this.map(kind).set(key, next);
    this.counters.writes++;
    this.changed(kind, prev ? 'MODIFIED' : 'ADDED', key, next, prev);
  }

  private remove(kind: ResourceKind, key: string, stored: Stored): void {
    this.map(kind).delete(key);
    kind.onDelete?.(stored.obj, this.ctx);
    this.bump();
    this.counters.writes++;
    this.changed(kind, 'DELETED', key, undefined, stored);
  }

  /** The objects a list at resourceVersion `rv` saw, rebuilt from the event window (410 when it no longer reaches back). */
  private viewAt(kind: ResourceKind, rv: number, continueKey: string): Map<string, Stored | null> {
    if (rv < this.window.startRv) {
      const token = Buffer.from(JSON.stringify({ v: 'sim/1', rv: -1, start: continueKey })).toString('base64url');
      throw new StatusError(
        410,
        'Expired',
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue value from the response to retrieve the remainder of the results. Continuing a list may not be consistent with the original list result.',
        undefined,
        {},
        { continue: token },
      );
    }
    const past = new Map<string, Stored | null>();
    for (const e of this.window.since(rv)) if (e.kind === kind && !past.has(e.key)) past.set(e.key, e.prev ?? null);
    return past;
  }

  private list(kind: ResourceKind, q: ListQuery): Record<string, unknown> {
    const match = this.matcher(kind, q);
    const filtering = !!(q.labelSelector || q.fieldSelector);
    let start: string | undefined;
    let atRv = this.rv;
    if (q.continue) {
      let tok: { v?: string; rv?: number; start?: string };
      try {
        tok = JSON.parse(Buffer.from(q.continue, 'base64url').toString('utf8')) as typeof tok;
        if (tok.v !== 'sim/1' || typeof tok.start !== 'string') throw new Error('bad');
      } catch {
        throw statusErrors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
      }
      start = tok.start;
      if (typeof tok.rv === 'number' && tok.rv > 0) atRv = tok.rv;
    }
    const map = this.map(kind);
    // A continued list reads the objects as they were at the first page's resourceVersion, as etcd does.
    const past = atRv < this.rv ? this.viewAt(kind, atRv, start ?? '') : undefined;
    const prefix = kind.namespaced && q.namespace !== undefined ? `${q.namespace}/` : undefined;
    const candidates = new Set(map.keys());
    if (past) for (const k of past.keys()) candidates.add(k);
    const keys = [...candidates].filter((k) => (prefix === undefined || k.startsWith(prefix)) && (start === undefined || k > start)).sort();
    const limit = q.limit && q.limit > 0 ? q.limit : Infinity;
    const items: KubeObject[] = [];
    let last: string | undefined;
    let i = 0;
    for (; i < keys.length && items.length < limit; i++) {
      const key = keys[i] as string;
      const s = past?.has(key) ? past.get(key) : map.get(key);
      if (!s) continue;
      last = key;
      if (!match(s)) continue;
      items.push(this.render(s, false));
    }
    const metadata: Record<string, unknown> = { resourceVersion: String(atRv) };
    // More matches may follow: hand out a continue token (the real server does this even if the rest is filtered out).
    if (i < keys.length && last !== undefined) {
      metadata.continue = Buffer.from(JSON.stringify({ v: 'sim/1', rv: atRv, start: last })).toString('base64url');
      if (!filtering) metadata.remainingItemCount = keys.length - i;
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
    if (errors.length) throw invalidError(kind, obj.metadata.name ?? '', errors, this.minorVersion);
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
    const map = this.map(kind);
    const key = this.keyFor(kind, namespace, name);
    if (name && map.has(key)) throw statusErrors.alreadyExists(kind.ref, name);
    delete obj.metadata.managedFields;
    delete obj.metadata.resourceVersion;
    delete obj.metadata.deletionTimestamp;
    const finished = this.finish(kind, obj);
    const meta = finished.metadata;
    meta.uid = randomUUID();
    meta.creationTimestamp = now();
    if (kind.generation) meta.generation = 1;
    else delete meta.generation;
    const fields = fieldsOf(finished);
    // Namespace finalizers come from the create strategy (after field tracking), so nobody owns
    // them unless the request set them; NetworkPolicy defaults come from decoding and are owned.
    if (kind === namespaceKind && !(isRecord(body.spec) && body.spec.finalizers !== undefined)) fields.delete(`s\0finalizers`);
    if (!opts.dryRun) kind.onCreate?.(finished, this.ctx);
    const owners: Ownership[] = fields.size ? [{ manager: opts.manager ?? 'unknown', operation: 'Update', apiVersion: kind.apiVersion, time: now(), fields }] : [];
    const stored = this.pack(finished, owners);
    if (!opts.dryRun) this.store(kind, key, stored, undefined);
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
    // Values unique to one object (Endpoints addresses, a pod's IPs) are frozen but not interned:
    // interning them would only add a key per value.
    for (const k of Object.keys(o)) if (!(k in out) && k !== 'status' && o[k] !== undefined) out[k] = freeze(o[k]);
    if (o.status !== undefined) out.status = o.kind === 'Pod' || o.kind === 'Service' ? freeze(o.status) : intern(o.status);
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
    if (kind.serverStatus) next.status = current.obj.status;
    kind.onUpdate?.(next, current.obj, this.ctx);
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
    if (!opts.dryRun) this.store(kind, key, stored, current);
    return { object: this.render(stored), created: false };
  }

  private update(kind: ResourceKind, namespace: string | undefined, name: string, rawBody: unknown, opts: WriteOptions): WriteResult {
    const body = this.checkBody(kind, rawBody, namespace);
    if (body.metadata.name !== name) {
      throw statusErrors.badRequest(`the name of the object (${String(body.metadata.name ?? '')}) does not match the name on the URL (${name})`);
    }
    const key = this.keyFor(kind, namespace, name);
    const current = this.mustGet(kind, key, name);
    const rv = body.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== current.obj.metadata.resourceVersion) throw statusErrors.conflict(kind.ref, name);
    const next = prune(kind, body, false);
    next.metadata.namespace = namespace;
    if (kind === namespaceKind) next.status = current.obj.status;
    return this.commitUpdate(kind, key, current, this.finish(kind, next), opts);
  }

  private patch(kind: ResourceKind, namespace: string | undefined, name: string, type: 'merge' | 'json', patch: unknown, opts: WriteOptions): WriteResult {
    const key = this.keyFor(kind, namespace, name);
    const current = this.mustGet(kind, key, name);
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
    const map = this.map(kind);
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

    // Conflicts: another manager owns a field this apply sets to a different value. As in
    // structured-merge-diff, the applied configuration is compared as sent with the stored,
    // defaulted object: re-applying an ingress rule without the `protocol: TCP` the server filled
    // in conflicts (observed on kube-apiserver 1.26.1), applying it with `protocol: TCP` shares
    // ownership. An Update entry of the same manager name is another manager (#107417).
    const conflicts: Conflict[] = [];
    for (const o of current?.owners ?? []) {
      if (o === prevMine) continue;
      for (const f of o.fields) if (cfgFields.has(f) && !deepEqual(valueAt(config, f), valueAt(live, f))) conflicts.push({ manager: o.manager, operation: o.operation, apiVersion: o.apiVersion, field: f });
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
      if (kind.generation) next.metadata.generation = 1;
      if (!opts.dryRun) kind.onCreate?.(next, this.ctx);
    } else {
      const gen = current.obj.metadata.generation;
      if (gen !== undefined) next.metadata.generation = deepEqual(current.obj.spec, next.spec) ? gen : gen + 1;
      if (kind.serverStatus) next.status = current.obj.status;
      kind.onUpdate?.(next, current.obj, this.ctx);
    }
    const stored = this.pack(next, owners);
    if (!opts.dryRun) this.store(kind, key, stored, current);
    else if (!current) delete stored.obj.metadata.resourceVersion;
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
  nodes?: number;
  namespaces: KubeObject[];
  networkPolicies: KubeObject[];
  /** Objects of the other kinds (Pods, Services, Endpoints, DaemonSets). */
  objects?: KubeObject[];
}
