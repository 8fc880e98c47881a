/**
 * The two controllers whose results fleetgate reads: the endpoints controller (Endpoints from a
 * Service's selector over the namespace's running pods) and the DaemonSet controller (one pod
 * per node, and the DaemonSet's status). They run synchronously after each relevant write.
 */
import { matches, selectorFromLabelSelector } from '@fleetgate/netpol';
import type { SimCluster } from './cluster.js';
import { KINDS } from './kinds.js';
import { deepEqual, type KubeObject } from './managed-fields.js';
import { daemonSetStatus } from './workloads.js';

type Rec = Record<string, unknown>;
const CONTROLLER = 'kube-controller-manager';

interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
}

function resolvePort(pod: KubeObject, target: unknown, protocol: string): number | undefined {
  if (typeof target === 'number') return target;
  if (typeof target !== 'string') return undefined;
  for (const c of (pod.spec?.containers ?? []) as Rec[]) {
    for (const p of (c.ports ?? []) as Rec[]) if (p.name === target && (p.protocol ?? 'TCP') === protocol && typeof p.containerPort === 'number') return p.containerPort;
  }
  return undefined;
}

/** The subsets the endpoints controller computes for `svc` (RepackSubsets: addresses grouped by identical port sets, sorted). */
export function endpointSubsets(svc: KubeObject, pods: Iterable<KubeObject>): Rec[] {
  const selector = (svc.spec?.selector ?? {}) as Record<string, string>;
  const reqs = selectorFromLabelSelector({ matchLabels: selector });
  const groups = new Map<string, { ports: EndpointPort[]; addresses: Rec[] }>();
  for (const pod of pods) {
    const status = (pod.status ?? {}) as Rec;
    if (typeof status.podIP !== 'string' || status.phase === 'Succeeded' || status.phase === 'Failed') continue;
    if (!matches(reqs, pod.metadata.labels ?? {})) continue;
    const ports: EndpointPort[] = [];
    for (const sp of (svc.spec?.ports ?? []) as Rec[]) {
      const protocol = String(sp.protocol ?? 'TCP');
      const port = resolvePort(pod, sp.targetPort ?? sp.port, protocol);
      if (port === undefined) continue;
      ports.push(typeof sp.name === 'string' && sp.name ? { name: sp.name, port, protocol } : { port, protocol });
    }
    if (!ports.length) continue;
    ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const key = JSON.stringify(ports);
    const g = groups.get(key) ?? { ports, addresses: [] };
    groups.set(key, g);
    g.addresses.push({ ip: status.podIP, nodeName: pod.spec?.nodeName, targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid } });
  }
  const ipKey = (a: Rec) => String(a.ip).split('.').map((n) => n.padStart(3, '0')).join('.');
  return [...groups.values()]
    .map((g) => ({ addresses: g.addresses.sort((a, b) => ipKey(a).localeCompare(ipKey(b))), ports: g.ports }))
    .sort((a, b) => ipKey(a.addresses[0] as Rec).localeCompare(ipKey(b.addresses[0] as Rec)));
}

function managedByController(ep: KubeObject): boolean {
  return (ep.metadata.managedFields ?? []).some((m) => m.manager === CONTROLLER);
}

/** Brings the Endpoints of every Service with a selector in `namespace` up to date. */
export function syncEndpoints(cluster: SimCluster, namespace: string): void {
  const services = [...cluster.objects(KINDS.service, namespace)];
  const names = new Set(services.map((s) => s.metadata.name));
  let pods: KubeObject[] | undefined;
  for (const svc of services) {
    const selector = svc.spec?.selector as Record<string, string> | undefined;
    if (!selector || Object.keys(selector).length === 0) continue;
    pods ??= [...cluster.objects(KINDS.pod, namespace)];
    const subsets = endpointSubsets(svc, pods);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const name = svc.metadata.name ?? '';
    const current = cluster.peekObject(KINDS.endpoints, namespace, name);
    const body = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, ...(subsets.length ? { subsets } : {}) };
    if (!current) cluster.createObject(KINDS.endpoints, namespace, body, { manager: CONTROLLER });
    else if (!deepEqual(current.subsets, body.subsets) || !deepEqual(current.metadata.labels ?? {}, labels)) {
      cluster.updateObject(KINDS.endpoints, namespace, name, { ...body, metadata: { ...body.metadata, annotations: current.metadata.annotations } }, { manager: CONTROLLER });
    }
  }
  // Endpoints the controller made for a Service that is gone go with it.
  for (const ep of [...cluster.objects(KINDS.endpoints, namespace)]) {
    const name = ep.metadata.name ?? '';
    if (names.has(name)) continue;
    const full = cluster.peekObject(KINDS.endpoints, namespace, name);
    if (full && managedByController(full)) cluster.deleteObject(KINDS.endpoints, namespace, name);
  }
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** A deterministic 5-character suffix in the alphabet Kubernetes uses for generated names. */
function suffix(seed: string, length = 5): string {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    out += ALPHABET[h % ALPHABET.length];
    h = Math.imul(h ^ (i + 31), 16777619) >>> 0;
  }
  return out;
}

const DS_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

const owns = (ds: KubeObject) => (pod: KubeObject) => ((pod.metadata.ownerReferences ?? []) as Rec[]).some((r) => r.uid === ds.metadata.uid);

/** One pod per node for the DaemonSet (created as the DaemonSet controller would), then its status. */
export function syncDaemonSetPods(cluster: SimCluster, ds: KubeObject): void {
  const namespace = ds.metadata.namespace ?? 'default';
  const name = ds.metadata.name ?? '';
  const template = (ds.spec?.template ?? {}) as { metadata?: Rec; spec?: Rec };
  const owned = [...cluster.objects(KINDS.pod, namespace)].filter(owns(ds));
  const onNode = new Set(owned.map((p) => p.spec?.nodeName));
  const generation = ds.metadata.generation ?? 1;
  const revision = suffix(`${name}/${JSON.stringify(template)}`, 10);
  for (const node of cluster.nodes) {
    if (onNode.has(node.name)) continue;
    const spec: Rec = { ...(template.spec ?? {}), nodeName: node.name };
    spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node.name] }] }] } } };
    const tolerations = [...((spec.tolerations ?? []) as Rec[])];
    for (const t of [...DS_TOLERATIONS, ...(spec.hostNetwork === true ? [{ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' }] : [])]) {
      if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect)) tolerations.push(t);
    }
    spec.tolerations = tolerations;
    const labels = { ...((template.metadata?.labels ?? {}) as Record<string, string>), 'controller-revision-hash': revision, 'pod-template-generation': String(generation) };
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${name}-${suffix(`${cluster.name}/${namespace}/${name}/${node.name}`)}`,
        namespace,
        labels,
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec,
    };
    cluster.createObject(KINDS.pod, namespace, pod, { manager: CONTROLLER });
  }
  const count = cluster.nodes.length;
  cluster.setStatus(KINDS.daemonSet, namespace, name, daemonSetStatus(generation, count, count));
}

/** Garbage collection of a deleted DaemonSet's pods (background propagation). */
export function deleteOwnedPods(cluster: SimCluster, ds: KubeObject): void {
  const namespace = ds.metadata.namespace ?? 'default';
  for (const pod of [...cluster.objects(KINDS.pod, namespace)].filter(owns(ds))) cluster.deleteObject(KINDS.pod, namespace, pod.metadata.name ?? '');
}
