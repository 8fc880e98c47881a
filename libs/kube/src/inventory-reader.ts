/**
 * Reads what runs in a cluster, compactly: namespaces (labels), pods (labels, IP, container
 * ports, phase), Services (selector, ports with target ports, annotations), kube-system
 * DaemonSets (names, labels, images: for CNI detection) and `/version`. One paginated listing per
 * kind (`limit`/`continue`), never a request per object; each page is reduced to the compact form
 * before the next is fetched, so a large cluster costs memory for the compact items only. Past
 * `maxItems` objects of a kind, the listing stops and the kind is reported truncated.
 */
import type { KubeClient } from './kube-client.js';
import type { ObjectMeta, VersionInfo } from './types.js';

export interface InventoryNamespace {
  name: string;
  labels: Record<string, string>;
  terminating?: boolean;
}

export interface InventoryContainerPort {
  name?: string;
  containerPort: number;
  protocol: string;
}

export interface InventoryPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ip: string | null;
  phase: string | null;
  ports: InventoryContainerPort[];
}

export interface InventoryServicePort {
  name?: string;
  port: number;
  targetPort: number | string;
  protocol: string;
}

export interface InventoryService {
  namespace: string;
  name: string;
  selector: Record<string, string> | null;
  ports: InventoryServicePort[];
  annotations: Record<string, string>;
}

export interface InventoryDaemonSet {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  images: string[];
}

export type InventoryKind = 'namespaces' | 'pods' | 'services' | 'daemonSets';

export interface ClusterInventorySnapshot {
  namespaces: InventoryNamespace[];
  pods: InventoryPod[];
  services: InventoryService[];
  daemonSets: InventoryDaemonSet[];
  version: { gitVersion: string; major: string; minor: string } | null;
  /** kinds cut at `maxItems` (never silently: the caller reports the flag) */
  truncated: InventoryKind[];
}

export interface InventoryReadOptions {
  /** items per page (default 500) */
  pageSize?: number;
  /** the most objects kept per kind (default 50,000) */
  maxItems?: number;
}

/** Annotations that are copies of whole objects, not facts: left out of the snapshot. */
const BULKY_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

interface RawPod {
  metadata: ObjectMeta;
  spec?: { containers?: Array<{ ports?: Array<{ name?: string; containerPort: number; protocol?: string }> }> };
  status?: { podIP?: string; phase?: string };
}
interface RawService {
  metadata: ObjectMeta;
  spec?: { selector?: Record<string, string> | null; ports?: Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string }> };
}
interface RawDaemonSet {
  metadata: ObjectMeta;
  spec?: { template?: { spec?: { containers?: Array<{ image?: string }>; initContainers?: Array<{ image?: string }> } } };
}
interface RawNamespace {
  metadata: ObjectMeta;
  status?: { phase?: string };
}

const compactNamespace = (n: RawNamespace): InventoryNamespace => {
  const out: InventoryNamespace = { name: n.metadata.name ?? '', labels: { ...(n.metadata.labels ?? {}) } };
  if (n.metadata.deletionTimestamp || n.status?.phase === 'Terminating') out.terminating = true;
  return out;
};

const compactPod = (p: RawPod): InventoryPod => ({
  namespace: p.metadata.namespace ?? '',
  name: p.metadata.name ?? '',
  labels: { ...(p.metadata.labels ?? {}) },
  ip: p.status?.podIP ?? null,
  phase: p.status?.phase ?? null,
  ports: (p.spec?.containers ?? []).flatMap((c) =>
    (c.ports ?? []).map((cp) => {
      const port: InventoryContainerPort = { containerPort: cp.containerPort, protocol: cp.protocol ?? 'TCP' };
      if (cp.name) port.name = cp.name;
      return port;
    }),
  ),
});

const compactService = (s: RawService): InventoryService => {
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.metadata.annotations ?? {})) if (!BULKY_ANNOTATIONS.has(k)) annotations[k] = v;
  const selector = s.spec?.selector && Object.keys(s.spec.selector).length > 0 ? { ...s.spec.selector } : null;
  return {
    namespace: s.metadata.namespace ?? '',
    name: s.metadata.name ?? '',
    selector,
    ports: (s.spec?.ports ?? []).map((p) => {
      const port: InventoryServicePort = { port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' };
      if (p.name) port.name = p.name;
      return port;
    }),
    annotations,
  };
};

const compactDaemonSet = (d: RawDaemonSet): InventoryDaemonSet => ({
  namespace: d.metadata.namespace ?? '',
  name: d.metadata.name ?? '',
  labels: { ...(d.metadata.labels ?? {}) },
  images: [...(d.spec?.template?.spec?.containers ?? []), ...(d.spec?.template?.spec?.initContainers ?? [])].map((c) => c.image ?? '').filter((i) => i !== ''),
});

async function listCompact<R, T>(client: KubeClient, path: string, map: (raw: R) => T, pageSize: number, maxItems: number): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let cont: string | undefined;
  for (;;) {
    const page = await client.listPage<R>(path, { limit: Math.min(pageSize, maxItems - items.length + 1), continue: cont });
    for (const raw of page.items) {
      if (items.length >= maxItems) return { items, truncated: true };
      items.push(map(raw));
    }
    cont = page.continue;
    if (!cont) return { items, truncated: false };
    if (items.length >= maxItems) return { items, truncated: true };
  }
}

/** The compact inventory of one cluster: five requests for a small cluster, one more per extra page. */
export async function readClusterInventory(client: KubeClient, opts: InventoryReadOptions = {}): Promise<ClusterInventorySnapshot> {
  const pageSize = opts.pageSize ?? 500;
  const maxItems = opts.maxItems ?? 50_000;
  const [namespaces, pods, services, daemonSets, version] = await Promise.all([
    listCompact(client, '/api/v1/namespaces', compactNamespace, pageSize, maxItems),
    listCompact(client, '/api/v1/pods', compactPod, pageSize, maxItems),
    listCompact(client, '/api/v1/services', compactService, pageSize, maxItems),
    listCompact(client, '/apis/apps/v1/namespaces/kube-system/daemonsets', compactDaemonSet, pageSize, maxItems).catch((err: unknown) => {
      // a server (or simulator) without apps/v1 DaemonSets: CNI detection falls back to pods
      if ((err as { kind?: string }).kind === 'not-found') return { items: [] as InventoryDaemonSet[], truncated: false };
      throw err;
    }),
    client.version().then(
      (v: VersionInfo) => ({ gitVersion: v.gitVersion, major: v.major, minor: v.minor }),
      () => null,
    ),
  ]);
  const truncated: InventoryKind[] = [];
  if (namespaces.truncated) truncated.push('namespaces');
  if (pods.truncated) truncated.push('pods');
  if (services.truncated) truncated.push('services');
  if (daemonSets.truncated) truncated.push('daemonSets');
  return { namespaces: namespaces.items, pods: pods.items, services: services.items, daemonSets: daemonSets.items, version, truncated };
}
