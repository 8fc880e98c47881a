/** What the seed documents promise, checked with the reachability engine on rendered packs. */
import { describe, expect, it } from 'vitest';
import { isAllowed } from '../reachability/evaluate-queries.js';
import type { ClusterModel, PodModel } from '../reachability/reachability.types.js';
import type { NetworkPolicy } from '../types/network-policy.js';
import { builtInPacks, renderPack } from './index.js';
import { gardenerSeed, gardenerShoot, kkpUserCluster } from './pack-fixtures.js';
import type { TemplateContext } from '../template/template.types.js';
import type { PolicyPack } from './pack.types.js';

function render(pack: PolicyPack, context: TemplateContext, templates?: string[]): NetworkPolicy[] {
  const result = renderPack(pack, context, templates ? { templates } : {});
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policies;
}

const pod = (ns: string, name: string, labels: Record<string, string>, ip: string, ports: PodModel['ports'] = []): PodModel => ({
  namespace: ns,
  name,
  labels,
  ip,
  ports,
});

describe('kkp-apiserver behaviour', () => {
  const ns = 'cluster-xk7t2m9q';
  const model: ClusterModel = {
    namespaces: [{ name: ns }, { name: 'cluster-other' }],
    pods: [
      pod(ns, 'apiserver', { app: 'apiserver' }, '10.244.1.10'),
      pod(ns, 'etcd-0', { app: 'etcd', cluster: 'xk7t2m9q' }, '10.244.1.11'),
      pod(ns, 'dns-resolver', { app: 'dns-resolver' }, '10.244.1.12'),
      pod(ns, 'openvpn-server', { app: 'openvpn-server' }, '10.244.1.13'),
      pod(ns, 'mc-webhook', { app: 'machine-controller-webhook' }, '10.244.1.14'),
      pod(ns, 'metrics-server', { app: 'metrics-server' }, '10.244.1.15'),
      pod(ns, 'controller-manager', { app: 'controller-manager' }, '10.244.1.16'),
      pod('cluster-other', 'etcd-0', { app: 'etcd' }, '10.244.2.11'),
    ],
  };
  const policies = render(builtInPacks['kkp-apiserver'], kkpUserCluster());
  const reach = (to: string, port = 2379) => isAllowed(model, policies, { from: `${ns}/apiserver`, to, port }).allowed;

  it('lets the kube-apiserver reach the five control-plane components of its cluster', () => {
    for (const to of ['etcd-0', 'dns-resolver', 'openvpn-server', 'mc-webhook', 'metrics-server']) expect([to, reach(`${ns}/${to}`)]).toEqual([to, true]);
  });

  it('blocks it from anything else: an unrelated pod, another cluster\'s etcd, the internet', () => {
    expect(reach(`${ns}/controller-manager`)).toBe(false);
    expect(reach('cluster-other/etcd-0')).toBe(false);
    expect(reach('8.8.8.8', 443)).toBe(false);
  });

  it('restricts only the kube-apiserver', () => {
    expect(isAllowed(model, policies, { from: `${ns}/controller-manager`, to: '8.8.8.8', port: 443 }).allowed).toBe(true);
  });
});

describe('gardener-general behaviour', () => {
  const ns = 'shoot--dev--a';
  const model: ClusterModel = {
    namespaces: [{ name: ns }, { name: 'kube-system' }],
    pods: [
      pod(ns, 'public', { 'networking.gardener.cloud/to-public-networks': 'allowed' }, '100.96.0.10'),
      pod(ns, 'private', { 'networking.gardener.cloud/to-private-networks': 'allowed' }, '100.96.0.11'),
      pod(ns, 'dns-user', { 'networking.gardener.cloud/to-dns': 'allowed' }, '100.96.0.12'),
      pod(ns, 'blocked-user', { 'networking.gardener.cloud/to-blocked-cidrs': 'allowed' }, '100.96.0.13'),
      pod(ns, 'runtime', { 'networking.gardener.cloud/to-runtime-apiserver': 'allowed' }, '100.96.0.14'),
      pod(ns, 'plain', {}, '100.96.0.15'),
      pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, '100.96.1.2', [{ containerPort: 8053, name: 'dns', protocol: 'UDP' }]),
    ],
  };
  const policies = render(builtInPacks['gardener-general'], gardenerSeed(ns, { runtimeApiserverCIDRs: ['10.250.0.10/32'] }));
  const reach = (from: string, to: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP') =>
    isAllowed(model, policies, { from: `${ns}/${from}`, to, port, protocol }).allowed;

  it('a pod labelled to-public-networks reaches 8.8.8.8:443 but not 10.1.2.3, CGNAT or a blocked CIDR', () => {
    expect(reach('public', '8.8.8.8', 443)).toBe(true);
    expect(reach('public', '10.1.2.3', 443)).toBe(false);
    expect(reach('public', '100.64.1.1', 443)).toBe(false);
    expect(reach('public', '169.254.169.254', 80)).toBe(false);
    expect(reach('public', '203.0.113.7', 443)).toBe(false);
  });

  it('deny-all: an unlabelled pod reaches nothing and nothing reaches it', () => {
    expect(reach('plain', '8.8.8.8', 443)).toBe(false);
    expect(reach('plain', 'kube-system/coredns', 8053, 'UDP')).toBe(false);
    expect(isAllowed(model, policies, { from: '8.8.8.8', to: `${ns}/plain`, port: 80 }).allowed).toBe(false);
  });

  it('to-private-networks reaches RFC 1918 and RFC 6598 addresses except the seed\'s own networks', () => {
    expect(reach('private', '10.1.2.3', 5432)).toBe(true);
    expect(reach('private', '192.168.7.7', 22)).toBe(true);
    expect(reach('private', '100.80.0.1', 80)).toBe(true);
    expect(reach('private', '100.65.0.1', 80)).toBe(false);
    expect(reach('private', '10.250.1.1', 10250)).toBe(false);
    expect(reach('private', '100.96.5.5', 80)).toBe(false);
    expect(reach('private', '8.8.8.8', 443)).toBe(false);
  });

  it('to-dns reaches the DNS pods in kube-system', () => {
    expect(reach('dns-user', 'kube-system/coredns', 8053, 'UDP')).toBe(true);
    expect(reach('dns-user', 'kube-system/coredns', 8080, 'TCP')).toBe(false);
  });

  it('to-blocked-cidrs reaches exactly the blocked CIDRs', () => {
    expect(reach('blocked-user', '169.254.169.254', 80)).toBe(true);
    expect(reach('blocked-user', '8.8.8.8', 80)).toBe(false);
  });

  it('to-runtime-apiserver reaches the runtime API server on its port', () => {
    expect(reach('runtime', '10.250.0.10', 443)).toBe(true);
    expect(reach('runtime', '10.250.0.10', 80)).toBe(false);
  });
});

describe('gardener-shoot-system behaviour', () => {
  const model: ClusterModel = {
    namespaces: [{ name: 'kube-system' }, { name: 'default' }],
    pods: [
      pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, '100.96.0.2', [{ containerPort: 8053, name: 'dns', protocol: 'UDP' }]),
      pod('kube-system', 'vpn-shoot', { app: 'vpn-shoot' }, '100.96.0.3'),
      pod('kube-system', 'webhook', { 'networking.gardener.cloud/from-seed': 'allowed' }, '100.96.0.4', [{ containerPort: 9443 }]),
      pod('kube-system', 'proxy', { 'networking.gardener.cloud/to-dns': 'allowed', 'networking.gardener.cloud/to-kubelet': 'allowed' }, '100.96.0.5'),
      pod('default', 'app', {}, '100.96.1.9'),
    ],
  };
  const deny: NetworkPolicy = { metadata: { name: 'deny-all', namespace: 'kube-system' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
  const policies = [...render(builtInPacks['gardener-shoot-system'], gardenerShoot()), deny];
  const reach = (from: string, to: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP') => isAllowed(model, policies, { from, to, port, protocol }).allowed;

  it('keeps the system components working under a shoot owner\'s deny-all', () => {
    expect(reach('default/app', 'kube-system/coredns', 8053, 'UDP')).toBe(true);
    expect(reach('kube-system/proxy', 'kube-system/coredns', 8053, 'UDP')).toBe(true);
    expect(reach('kube-system/vpn-shoot', 'kube-system/webhook', 9443)).toBe(true);
    expect(reach('kube-system/proxy', '10.180.0.7', 10250)).toBe(true);
    expect(reach('kube-system/vpn-shoot', '198.51.100.1', 1194)).toBe(true);
  });

  it('while other traffic into and out of kube-system stays denied', () => {
    expect(reach('default/app', 'kube-system/webhook', 9443)).toBe(false);
    expect(reach('kube-system/proxy', '8.8.8.8', 443)).toBe(false);
    expect(reach('kube-system/proxy', '10.180.0.7', 22)).toBe(false);
  });
});
