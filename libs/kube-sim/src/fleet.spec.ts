import { isValidCidr } from '@fleetgate/netpol';
import { describe, expect, it } from 'vitest';
import { SimCluster } from './cluster.js';
import { fleetFromJson, generateFleet } from './fleet.js';
import { parseIpv4Cidr } from './ipam.js';

type Nets = { pods: string; services: string; nodes: string };
const range = (cidr: string) => {
  const p = parseIpv4Cidr(cidr);
  if (!p) throw new Error(`invalid CIDR ${cidr}`);
  return [p.base, p.base + p.size - 1] as const;
};
const overlap = (a: string, b: string) => {
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
};

describe('generated fleet', () => {
  it('looks like KKP/Gardener: seeds host cluster-<user> namespaces, users have labelled app namespaces', () => {
    const fleet = generateFleet({ seeds: 2, usersPerSeed: 3, policiesPerCluster: 2 });
    expect(fleet).toHaveLength(8);
    const seed = fleet.find((c) => c.name === 'seed-01');
    const users = fleet.filter((c) => c.meta?.seed === 'seed-01');
    expect(users).toHaveLength(3);
    expect(seed?.meta?.role).toBe('seed');
    const seedNs = seed?.namespaces?.map((n) => n.name) ?? [];
    expect(seedNs).toEqual(expect.arrayContaining(['garden', 'istio-system', ...users.map((u) => `cluster-${u.name}`)]));
    for (const u of users) {
      expect(u.meta?.controlPlaneNamespace).toBe(`cluster-${u.name}`);
      expect(u.labels).toHaveProperty('env');
      expect(u.labels).toHaveProperty('region', seed?.labels?.region);
      expect(u.namespaces?.every((n) => Object.keys(n.labels ?? {}).length > 0)).toBe(true);
      expect(u.policies).toHaveLength(2);
    }
    expect(new Set(fleet.map((c) => c.labels?.env)).size).toBeGreaterThan(1);
  });

  it('reads fleet files', () => {
    expect(fleetFromJson({ seeds: 1, usersPerSeed: 2 })).toHaveLength(3);
    expect(fleetFromJson({ clusters: [{ name: 'x' }] })).toEqual([{ name: 'x' }]);
    expect(() => fleetFromJson({ clusters: [{}] })).toThrow(/name/);
  });

  it('gives every cluster of a 10,000-cluster fleet valid networks: no overlap inside a cluster, node networks unique', { timeout: 30_000 }, () => {
    const fleet = generateFleet({ seeds: 100, usersPerSeed: 99 });
    expect(fleet).toHaveLength(10_000);
    const nodes = new Set<string>();
    const bad: string[] = [];
    for (const c of fleet) {
      const n = c.meta?.networks as Nets;
      for (const cidr of [n.pods, n.services, n.nodes]) if (!isValidCidr(cidr) || !parseIpv4Cidr(cidr)) bad.push(`${c.name}: ${cidr}`);
      if (!bad.length && (overlap(n.pods, n.services) || overlap(n.pods, n.nodes) || overlap(n.services, n.nodes))) bad.push(`${c.name}: overlapping networks`);
      nodes.add(n.nodes);
    }
    expect(bad).toEqual([]);
    expect(nodes.size).toBe(10_000);
    expect(new Set(fleet.map((c) => c.name)).size).toBe(10_000);
  });

  it('runs realistic workloads: KKP and Gardener control planes on seeds, CoreDNS and a CNI everywhere', () => {
    const fleet = generateFleet({ seeds: 2, usersPerSeed: 6, podsPerCluster: 3 });
    const cluster = (name: string) => new SimCluster(fleet.find((c) => c.name === name) as never);
    const names = (c: SimCluster, kind: keyof SimCluster['kinds'], ns?: string) => [...c.objects(c.kinds[kind], ns)].map((o) => o.metadata.name);

    const kkp = cluster('seed-01');
    const cp = 'cluster-seed-01-user-01';
    const apps = [...kkp.objects(kkp.kinds.pod, cp)].map((p) => p.metadata.labels?.app).sort();
    expect(apps).toEqual(['apiserver', 'dns-resolver', 'etcd', 'machine-controller-webhook', 'metrics-server', 'openvpn-server']);
    const ep = kkp.peekObject(kkp.kinds.endpoints, cp, 'etcd') as unknown as { subsets: Array<{ ports: unknown[] }> };
    expect(ep.subsets[0]?.ports).toEqual([{ name: 'client', port: 2379, protocol: 'TCP' }, { name: 'peer', port: 2380, protocol: 'TCP' }]);

    const gardener = cluster('seed-02');
    const shootNs = String(fleet.find((c) => c.name === 'seed-02-user-01')?.meta?.controlPlaneNamespace);
    expect(shootNs).toMatch(/^shoot--[a-z]+--seed-02-user-01$/);
    expect(names(gardener, 'pod', shootNs).sort()).toEqual(['etcd-main-0', 'kube-apiserver-7d9f8c6b5d-r8t2v']);
    const prom = [...gardener.objects(gardener.kinds.pod, 'garden')].find((p) => p.metadata.name === 'prometheus-0');
    expect(prom?.metadata.labels?.['networking.resources.gardener.cloud/to-all-scrape-targets']).toBe('allowed');
    const annotated = [...gardener.objects(gardener.kinds.service)].filter((s) => s.metadata.annotations?.['networking.resources.gardener.cloud/from-all-scrape-targets-allowed-ports']);
    expect(annotated.length).toBeGreaterThan(1);
    expect(names(gardener, 'namespace')).toEqual(expect.arrayContaining(['istio-system', 'istio-ingress']));

    const cnis = fleet.filter((c) => c.meta?.role === 'user').map((c) => names(cluster(c.name), 'daemonSet', 'kube-system').join(','));
    expect(cnis.filter((d) => d === 'kube-flannel-ds')).toHaveLength(2);
    expect(cnis.filter((d) => d === 'cilium')).toHaveLength(1);
    expect(cnis.filter((d) => d === 'calico-node').length).toBeGreaterThan(5);

    const user = cluster('seed-01-user-01');
    const dns = user.peekObject(user.kinds.service, 'kube-system', 'kube-dns');
    expect(dns?.spec?.clusterIP).toBe(`${String((user.meta.networks as Nets).services).split('.').slice(0, 3).join('.')}.10`);
    const calico = [...user.objects(user.kinds.pod, 'kube-system')].filter((p) => p.metadata.labels?.['k8s-app'] === 'calico-node');
    expect(calico).toHaveLength(2);
    expect(calico.every((p) => (p.status as { podIP: string }).podIP === (p.status as { hostIP: string }).hostIP)).toBe(true);
    expect([...user.objects(user.kinds.pod)].filter((p) => p.metadata.labels?.['pod-template-hash'] === '6d4cf56db6')).toHaveLength(3);
  });
});
