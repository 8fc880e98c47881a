import type { ClusterSpec, NamespaceSpec } from './cluster.js';
import type { KubeObject } from './managed-fields.js';

export interface FleetOptions {
  seeds: number;
  usersPerSeed: number;
  /** NetworkPolicies pre-created in each cluster (users: app namespaces; seeds: garden, istio-system). Default 0. */
  policiesPerCluster?: number;
  /** Deterministic token prefix instead of random tokens (benchmarks). */
  tokenPrefix?: string;
}

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
 * A fleet that looks like KKP/Gardener: seeds host the control plane of each of their user
 * clusters in `cluster-<name>` besides `garden`, `kube-system`, `istio-system`; user clusters
 * have `kube-system`, `default` and labelled app namespaces; every cluster carries `env`,
 * `region`, `provider` labels, and `meta` holds what fleetgate registers (role, seed, networks).
 */
export function generateFleet(opts: FleetOptions): ClusterSpec[] {
  const out: ClusterSpec[] = [];
  const perCluster = opts.policiesPerCluster ?? 0;
  for (let s = 1; s <= opts.seeds; s++) {
    const region = REGIONS[(s - 1) % REGIONS.length] as string;
    const seedName = `seed-${pad(s)}`;
    const users: ClusterSpec[] = [];
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
      users.push({
        name,
        token: opts.tokenPrefix ? `${opts.tokenPrefix}-${name}` : undefined,
        labels: { env: ENVS[idx % ENVS.length] as string, region, provider: PROVIDERS[idx % PROVIDERS.length] as string, tier: idx % 5 === 0 ? 'gold' : 'standard' },
        meta: {
          role: 'user',
          seed: seedName,
          controlPlaneNamespace: `cluster-${name}`,
          networks: { pods: `10.${(idx % 200) + 20}.0.0/16`, services: `10.${(idx % 50) + 230}.0.0/20`, nodes: `172.${16 + (idx % 16)}.${idx % 256}.0/24` },
        },
        namespaces,
        policies,
      });
    }
    const seedPolicies: KubeObject[] = [];
    for (let p = 0; p < perCluster; p++) seedPolicies.push(samplePolicy(p % 2 === 0 ? 'garden' : 'istio-system', `policy-${pad(p)}`, p));
    out.push({
      name: seedName,
      policies: seedPolicies,
      token: opts.tokenPrefix ? `${opts.tokenPrefix}-${seedName}` : undefined,
      labels: { env: s % 2 === 1 ? 'prod' : 'staging', region, provider: PROVIDERS[(s - 1) % PROVIDERS.length] as string },
      meta: {
        role: 'seed',
        networks: { pods: `100.${64 + (s % 32)}.0.0/16`, services: `100.${96 + (s % 32)}.0.0/20`, nodes: `192.168.${s % 256}.0/24` },
        blockedCIDRs: ['169.254.169.254/32'],
      },
      namespaces: [
        { name: 'garden', labels: { role: 'garden', 'gardener.cloud/role': 'garden' } },
        { name: 'istio-system', labels: { 'istio-operator-managed': 'Reconcile' } },
        ...users.map((u) => ({ name: `cluster-${u.name}`, labels: { 'gardener.cloud/role': 'shoot', 'kubermatic.io/cluster': u.name, 'cluster.kubermatic.io/name': u.name } })),
      ],
    });
    out.push(...users);
  }
  return out;
}

/** Parses a fleet file: `{"clusters": ClusterSpec[]}` or `{"seeds": n, "usersPerSeed": m}`. */
export function fleetFromJson(json: unknown): ClusterSpec[] {
  if (typeof json !== 'object' || json === null) throw new Error('fleet file must be a JSON object');
  const j = json as { clusters?: unknown; seeds?: unknown; usersPerSeed?: unknown; policiesPerCluster?: unknown };
  if (Array.isArray(j.clusters)) {
    for (const c of j.clusters) if (typeof (c as { name?: unknown })?.name !== 'string') throw new Error('every cluster in a fleet file needs a "name"');
    return j.clusters as ClusterSpec[];
  }
  if (typeof j.seeds === 'number' && typeof j.usersPerSeed === 'number') {
    return generateFleet({ seeds: j.seeds, usersPerSeed: j.usersPerSeed, policiesPerCluster: typeof j.policiesPerCluster === 'number' ? j.policiesPerCluster : 0 });
  }
  throw new Error('fleet file needs "clusters" or "seeds" and "usersPerSeed"');
}
