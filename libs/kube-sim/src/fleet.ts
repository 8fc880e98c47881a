import type { ClusterSpec, NamespaceSpec } from './cluster.js';
import type { KubeObject } from './managed-fields.js';
import { cniFor, kkpControlPlane, seedMonitoring, shootControlPlane, systemWorkloads, userWorkloads } from './workloads-fleet.js';

export interface FleetOptions {
  seeds: number;
  usersPerSeed: number;
  /** NetworkPolicies pre-created in each cluster (users: app namespaces; seeds: garden, istio-system). Default 0. */
  policiesPerCluster?: number;
  /** Deterministic token prefix instead of random tokens (benchmarks). */
  tokenPrefix?: string;
  /** Pods, Services and DaemonSets as in real clusters (default true). */
  workloads?: boolean;
  /** App pods per user cluster, spread over its app namespaces (default 2). */
  podsPerCluster?: number;
}

const PROJECTS = ['core', 'dev', 'shop'];

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-1', 'eu-central-1'];
const ENVS = ['prod', 'staging', 'dev'];
const PROVIDERS = ['aws', 'gcp', 'openstack', 'vsphere'];
const APPS: Array<{ name: string; labels: Record<string, string> }> = [
  { name: 'frontend', labels: { team: 'web', tier: 'frontend' } },
  { name: 'payments', labels: { team: 'payments', tier: 'backend', 'compliance/pci': 'true' } },
  { name: 'orders', labels: { team: 'commerce', tier: 'backend' } },
  { name: 'monitoring', labels: { team: 'platform', tier: 'infra' } },
];

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** A sample NetworkPolicy as an operator would write it (undefaulted). */
export function samplePolicy(namespace: string, name: string, i: number): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: { app: name, 'app.kubernetes.io/part-of': namespace } },
    spec: {
      podSelector: { matchLabels: { app: name } },
      ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 8000 + (i % 100) }] }],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.10.0.0/16'] } }], ports: [{ protocol: 'UDP', port: 53 }] }],
    },
  };
}

/**
 * A fleet that looks like KKP/Gardener. Odd seeds are KKP seeds: the control plane of each of
 * their user clusters runs in `cluster-<name>` (apiserver, etcd, dns-resolver, openvpn-server,
 * machine-controller-webhook, metrics-server). Even seeds are Gardener seeds: `shoot--<project>--<name>`
 * control planes (kube-apiserver, etcd), Prometheus and annotated Services in `garden`,
 * `istio-system` and `istio-ingress`. User clusters have `kube-system` (coredns, vpn-shoot, the
 * CNI), `default` and labelled app namespaces with pods and Services. Every cluster carries `env`,
 * `region`, `provider` labels, and `meta` holds what fleetgate registers (role, seed, networks).
 */
export function generateFleet(opts: FleetOptions): ClusterSpec[] {
  const out: ClusterSpec[] = [];
  const perCluster = opts.policiesPerCluster ?? 0;
  const workloads = opts.workloads ?? true;
  const appPods = opts.podsPerCluster ?? 2;
  let clusterIndex = 0;
  for (let s = 1; s <= opts.seeds; s++) {
    const region = REGIONS[(s - 1) % REGIONS.length] as string;
    const seedName = `seed-${pad(s)}`;
    const gardener = s % 2 === 0;
    const seedNetworks = clusterNetworks(clusterIndex++, 'seed', s);
    const users: ClusterSpec[] = [];
    const seedObjects: KubeObject[] = [];
    for (let u = 1; u <= opts.usersPerSeed; u++) {
      const name = `${seedName}-user-${pad(u, opts.usersPerSeed >= 100 ? 4 : 2)}`;
      const idx = (s - 1) * opts.usersPerSeed + (u - 1);
      const apps = APPS.slice(0, 2 + (idx % 3));
      const namespaces: NamespaceSpec[] = apps.map((a) => ({ name: a.name, labels: { ...a.labels } }));
      const policies: KubeObject[] = [];
      for (let p = 0; p < perCluster; p++) {
        const ns = (apps[p % apps.length] as { name: string }).name;
        policies.push(samplePolicy(ns, `policy-${pad(p)}`, p));
      }
      const networks = clusterNetworks(clusterIndex++, 'user', idx);
      const controlPlaneNamespace = gardener ? `shoot--${PROJECTS[idx % PROJECTS.length]}--${name}` : `cluster-${name}`;
      if (workloads) seedObjects.push(...(gardener ? shootControlPlane(controlPlaneNamespace) : kkpControlPlane(controlPlaneNamespace)));
      users.push({
        name,
        token: opts.tokenPrefix ? `${opts.tokenPrefix}-${name}` : undefined,
        labels: { env: ENVS[idx % ENVS.length] as string, region, provider: PROVIDERS[idx % PROVIDERS.length] as string, tier: idx % 5 === 0 ? 'gold' : 'standard' },
        meta: { role: 'user', seed: seedName, controlPlaneNamespace, networks },
        namespaces,
        policies,
        nodes: 2,
        ...(workloads ? { objects: userWorkloads(idx, apps, appPods, networks.services) } : {}),
      });
    }
    const seedPolicies: KubeObject[] = [];
    for (let p = 0; p < perCluster; p++) seedPolicies.push(samplePolicy(p % 2 === 0 ? 'garden' : 'istio-system', `policy-${pad(p)}`, p));
    const cpLabels = (u: ClusterSpec): Record<string, string> =>
      gardener ? { 'gardener.cloud/role': 'shoot', 'shoot.gardener.cloud/no-cleanup': 'false' } : { 'kubermatic.io/cluster': u.name, 'cluster.kubermatic.io/name': u.name };
    if (workloads) seedObjects.unshift(...systemWorkloads(seedNetworks.services, cniFor(-1), gardener ? seedMonitoring() : []));
    out.push({
      name: seedName,
      policies: seedPolicies,
      token: opts.tokenPrefix ? `${opts.tokenPrefix}-${seedName}` : undefined,
      labels: { env: s % 2 === 1 ? 'prod' : 'staging', region, provider: PROVIDERS[(s - 1) % PROVIDERS.length] as string, stack: gardener ? 'gardener' : 'kkp' },
      meta: { role: 'seed', networks: seedNetworks, blockedCIDRs: ['169.254.169.254/32'] },
      namespaces: [
        { name: 'garden', labels: { role: 'garden', 'gardener.cloud/role': 'garden' } },
        { name: 'istio-system', labels: { 'istio-operator-managed': 'Reconcile' } },
        ...(gardener ? [{ name: 'istio-ingress', labels: { 'istio-operator-managed': 'Reconcile', 'gardener.cloud/role': 'istio-ingress' } }] : []),
        ...users.map((u) => ({ name: String(u.meta?.controlPlaneNamespace), labels: cpLabels(u) })),
      ],
      ...(workloads ? { objects: seedObjects } : {}),
    });
    out.push(...users);
  }
  return out;
}

/**
 * Networks of the n-th cluster of the fleet, valid for any fleet size: node networks are unique
 * /24s in 10.0.0.0/10 (16,384 clusters), pod networks /16s in 10.64.0.0/10 and service networks
 * /20s in 10.128.0.0/10 (shared between clusters, as real clusters share defaults), seeds in
 * 100.64.0.0/10. Within a cluster the three never overlap.
 */
export function clusterNetworks(n: number, role: 'seed' | 'user', i: number): { pods: string; services: string; nodes: string } {
  const nodes = `10.${(n >> 8) & 63}.${n & 255}.0/24`;
  if (role === 'seed') return { pods: `100.${64 + (i % 32)}.0.0/16`, services: `100.${96 + (i % 32)}.0.0/20`, nodes };
  return { pods: `10.${64 + (i % 64)}.0.0/16`, services: `10.${128 + ((i >> 4) % 64)}.${(i % 16) * 16}.0/20`, nodes };
}

/** Parses a fleet file: `{"clusters": ClusterSpec[]}` or `{"seeds": n, "usersPerSeed": m}`. */
export function fleetFromJson(json: unknown): ClusterSpec[] {
  if (typeof json !== 'object' || json === null) throw new Error('fleet file must be a JSON object');
  const j = json as { clusters?: unknown; seeds?: unknown; usersPerSeed?: unknown; policiesPerCluster?: unknown; podsPerCluster?: unknown; workloads?: unknown };
  if (Array.isArray(j.clusters)) {
    for (const c of j.clusters) if (typeof (c as { name?: unknown })?.name !== 'string') throw new Error('every cluster in a fleet file needs a "name"');
    return j.clusters as ClusterSpec[];
  }
  if (typeof j.seeds === 'number' && typeof j.usersPerSeed === 'number') {
    return generateFleet({
      seeds: j.seeds,
      usersPerSeed: j.usersPerSeed,
      policiesPerCluster: typeof j.policiesPerCluster === 'number' ? j.policiesPerCluster : 0,
      ...(typeof j.podsPerCluster === 'number' ? { podsPerCluster: j.podsPerCluster } : {}),
      ...(typeof j.workloads === 'boolean' ? { workloads: j.workloads } : {}),
    });
  }
  throw new Error('fleet file needs "clusters" or "seeds" and "usersPerSeed"');
}
