/**
 * The workloads of the generated fleet: what `kubectl get pods,svc,ds -A` shows on a KKP or
 * Gardener seed and on a user cluster. Objects that are the same in every cluster are built once
 * and shared between cluster specs (the store copies what it keeps).
 */
import type { KubeObject } from './managed-fields.js';
import { intToIpv4, ipv4ToInt } from './ipam.js';

type Labels = Record<string, string>;
interface PortSpec {
  name: string;
  port: number;
  protocol?: 'TCP' | 'UDP';
}

function pod(namespace: string, name: string, labels: Labels, image: string, ports: PortSpec[] = [], extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: name.replace(/-[a-z0-9]{5}$/, '').replace(/-[a-z0-9]{9,10}$/, '').replace(/-\d+$/, ''), image, ...(ports.length ? { ports: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })) } : {}) }], ...extra },
  };
}

function service(namespace: string, name: string, selector: Labels, ports: Array<PortSpec & { targetPort?: number | string }>, more: { labels?: Labels; annotations?: Record<string, string>; clusterIP?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, ...(more.labels ? { labels: more.labels } : {}), ...(more.annotations ? { annotations: more.annotations } : {}) },
    spec: {
      selector,
      ...(more.clusterIP ? { clusterIP: more.clusterIP } : {}),
      ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP', ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}) })),
    },
  };
}

function daemonSet(name: string, labels: Labels, image: string, hostNetwork: boolean): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'kube-system', labels },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { hostNetwork, priorityClassName: 'system-node-critical', containers: [{ name, image }] } },
    },
  };
}

export interface Cni {
  name: 'calico' | 'flannel' | 'cilium';
  version: string;
}

const CALICO_VERSIONS = ['v3.26.4', 'v3.27.3', 'v3.28.1'];

/** The CNI of the i-th user cluster (seeds: -1): calico mostly, users 1 and 5 flannel only, user 2 cilium. */
export function cniFor(i: number): Cni {
  if (i === 1 || i === 5) return { name: 'flannel', version: 'v0.25.6' };
  if (i === 2) return { name: 'cilium', version: 'v1.16.3' };
  return { name: 'calico', version: CALICO_VERSIONS[Math.max(0, i) % CALICO_VERSIONS.length] as string };
}

const cniCache = new Map<string, KubeObject>();
function cniDaemonSet(cni: Cni): KubeObject {
  const key = `${cni.name}/${cni.version}`;
  let ds = cniCache.get(key);
  if (!ds) {
    if (cni.name === 'calico') ds = daemonSet('calico-node', { 'k8s-app': 'calico-node' }, `docker.io/calico/node:${cni.version}`, true);
    else if (cni.name === 'cilium') ds = daemonSet('cilium', { 'k8s-app': 'cilium' }, `quay.io/cilium/cilium:${cni.version}`, true);
    else ds = daemonSet('kube-flannel-ds', { app: 'flannel', 'k8s-app': 'flannel' }, `docker.io/flannel/flannel:${cni.version}`, true);
    cniCache.set(key, ds);
  }
  return ds;
}

const DNS_PORTS: PortSpec[] = [
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'dns-tcp', port: 53, protocol: 'TCP' },
  { name: 'metrics', port: 9153 },
];
const COREDNS = ['coredns-7db6d8ff4d-b5x9q', 'coredns-7db6d8ff4d-qw2kz'].map((n) => pod('kube-system', n, { 'k8s-app': 'kube-dns', 'pod-template-hash': '7db6d8ff4d' }, 'registry.k8s.io/coredns/coredns:v1.11.3', DNS_PORTS));

/** kube-system of every cluster: CoreDNS (+ Service kube-dns at the 10th address), the CNI DaemonSet, and `extra`. */
export function systemWorkloads(serviceCidr: string, cni: Cni, extra: KubeObject[]): KubeObject[] {
  const base = ipv4ToInt(serviceCidr.split('/')[0] ?? '') ?? 0;
  const dns = service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, DNS_PORTS, { labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' }, clusterIP: intToIpv4(base + 10) });
  return [...COREDNS, dns, cniDaemonSet(cni), ...extra];
}

const VPN_SHOOT = pod('kube-system', 'vpn-shoot-5b8f7d9c6d-x7k2p', { app: 'vpn-shoot', 'gardener.cloud/role': 'system-component' }, 'europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-client:0.26.0');

const appCache = new Map<string, KubeObject[]>();
/** kube-system and app namespaces of a user cluster; `pods` app pods spread over its app namespaces. */
export function userWorkloads(i: number, apps: Array<{ name: string }>, pods: number, serviceCidr: string): KubeObject[] {
  const key = `${apps.map((a) => a.name).join(',')}/${pods}`;
  let app = appCache.get(key);
  if (!app) {
    app = [];
    for (let p = 0; p < pods; p++) {
      const ns = (apps[p % apps.length] as { name: string }).name;
      app.push(pod(ns, `${ns}-6d4cf56db6-${String(p).padStart(5, 'x')}`.replace(/x/g, 'k'), { app: ns, 'pod-template-hash': '6d4cf56db6' }, `registry.example.com/${ns}:1.4.2`, [{ name: 'http', port: 8080 }]));
    }
    for (const a of apps.slice(0, Math.min(apps.length, pods))) app.push(service(a.name, a.name, { app: a.name }, [{ name: 'http', port: 80, targetPort: 'http' }], { labels: { app: a.name } }));
    appCache.set(key, app);
  }
  return [...systemWorkloads(serviceCidr, cniFor(i), [VPN_SHOOT]), ...app];
}

const KKP_COMPONENTS: Array<{ app: string; image: string; ports: PortSpec[]; pod: string }> = [
  { app: 'apiserver', pod: 'apiserver-6b9c7f5d8-h2x4m', image: 'registry.k8s.io/kube-apiserver:v1.30.5', ports: [{ name: 'https', port: 6443 }] },
  { app: 'etcd', pod: 'etcd-0', image: 'gcr.io/etcd-development/etcd:v3.5.16', ports: [{ name: 'client', port: 2379 }, { name: 'peer', port: 2380 }] },
  { app: 'dns-resolver', pod: 'dns-resolver-7c6d9b8f4-p5q8r', image: 'registry.k8s.io/coredns/coredns:v1.11.3', ports: DNS_PORTS.slice(0, 2) },
  { app: 'openvpn-server', pod: 'openvpn-server-5f7d8c9b6-t9w3z', image: 'quay.io/kubermatic/openvpn:v2.5.2-r0', ports: [{ name: 'secure', port: 1194 }] },
  { app: 'machine-controller-webhook', pod: 'machine-controller-webhook-8d7c6b5f4-m4n6b', image: 'quay.io/kubermatic/machine-controller:v1.60.0', ports: [{ name: 'webhook', port: 9876 }] },
  { app: 'metrics-server', pod: 'metrics-server-6c8d9f7b5-k2j7h', image: 'registry.k8s.io/metrics-server/metrics-server:v0.7.2', ports: [{ name: 'https', port: 10250 }] },
];

/** A KKP user cluster's control plane in `cluster-<name>` on its seed: pods labelled `app=<component>` and their Services. */
export function kkpControlPlane(namespace: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const c of KKP_COMPONENTS) {
    out.push(pod(namespace, c.pod, { app: c.app }, c.image, c.ports));
    out.push(service(namespace, c.app, { app: c.app }, c.ports.map((p) => ({ ...p, targetPort: p.name })), { labels: { app: c.app }, ...(c.app === 'etcd' ? { clusterIP: 'None' } : {}) }));
  }
  return out;
}

const SCRAPE = 'networking.resources.gardener.cloud/from-all-scrape-targets-allowed-ports';

/** A Gardener shoot's control plane in `shoot--<project>--<name>`: kube-apiserver and etcd, with annotated Services. */
export function shootControlPlane(namespace: string): KubeObject[] {
  const apiLabels = { app: 'kubernetes', role: 'apiserver', 'gardener.cloud/role': 'controlplane', 'networking.resources.gardener.cloud/to-all-scrape-targets': 'allowed' };
  const etcdLabels = { app: 'etcd-statefulset', role: 'main', 'gardener.cloud/role': 'controlplane', 'networking.gardener.cloud/to-dns': 'allowed' };
  return [
    pod(namespace, 'kube-apiserver-7d9f8c6b5d-r8t2v', apiLabels, 'registry.k8s.io/kube-apiserver:v1.30.5', [{ name: 'https', port: 443 }]),
    service(namespace, 'kube-apiserver', { app: 'kubernetes', role: 'apiserver' }, [{ name: 'kube-apiserver', port: 443, targetPort: 443 }], {
      labels: { app: 'kubernetes', role: 'apiserver' },
      annotations: { [SCRAPE]: '[{"protocol":"TCP","port":443}]', 'networking.resources.gardener.cloud/from-all-webhook-targets-allowed-ports': '[{"protocol":"TCP","port":443}]' },
    }),
    pod(namespace, 'etcd-main-0', etcdLabels, 'europe-docker.pkg.dev/gardener-project/releases/gardener/etcd-wrapper:v0.2.0', [{ name: 'client', port: 2379 }, { name: 'backuprestore', port: 8080 }]),
    service(namespace, 'etcd-main-client', { app: 'etcd-statefulset', role: 'main' }, [{ name: 'client', port: 2379 }, { name: 'backuprestore', port: 8080 }], {
      labels: { app: 'etcd-statefulset', role: 'main' },
      annotations: { [SCRAPE]: '[{"protocol":"TCP","port":2379},{"protocol":"TCP","port":8080}]' },
    }),
  ];
}

/** A Gardener seed's own components: Prometheus (a scrape source), annotated Services in `garden`, istiod and the ingress gateway. */
export function seedMonitoring(): KubeObject[] {
  const prom = { app: 'prometheus', role: 'monitoring', 'networking.resources.gardener.cloud/to-all-scrape-targets': 'allowed', 'networking.resources.gardener.cloud/to-all-seed-scrape-targets': 'allowed' };
  return [
    pod('garden', 'prometheus-0', prom, 'quay.io/prometheus/prometheus:v2.54.1', [{ name: 'web', port: 9090 }]),
    service('garden', 'prometheus-web', { app: 'prometheus', role: 'monitoring' }, [{ name: 'web', port: 80, targetPort: 9090 }], { labels: { app: 'prometheus', role: 'monitoring' } }),
    pod('garden', 'gardener-resource-manager-5d6c7b8f9-g4h5j', { app: 'gardener-resource-manager' }, 'europe-docker.pkg.dev/gardener-project/releases/gardener/resource-manager:v1.104.0', [{ name: 'metrics', port: 8080 }, { name: 'server', port: 10250 }]),
    service('garden', 'gardener-resource-manager', { app: 'gardener-resource-manager' }, [{ name: 'metrics', port: 8080 }, { name: 'server', port: 443, targetPort: 10250 }], {
      labels: { app: 'gardener-resource-manager' },
      annotations: { [SCRAPE]: '[{"protocol":"TCP","port":8080}]', 'networking.resources.gardener.cloud/from-all-webhook-targets-allowed-ports': '[{"protocol":"TCP","port":10250}]' },
    }),
    pod('istio-system', 'istiod-7f8d9c6b5-w2e4r', { app: 'istiod', istio: 'pilot' }, 'gcr.io/istio-release/pilot:1.23.2', [{ name: 'grpc-xds', port: 15010 }, { name: 'https-webhook', port: 15017 }]),
    service('istio-system', 'istiod', { app: 'istiod', istio: 'pilot' }, [{ name: 'grpc-xds', port: 15010 }, { name: 'https-webhook', port: 443, targetPort: 15017 }], { labels: { app: 'istiod' } }),
    pod('istio-ingress', 'istio-ingressgateway-6c5d8f7b9-z3x5c', { app: 'istio-ingressgateway', istio: 'ingressgateway' }, 'gcr.io/istio-release/proxyv2:1.23.2', [{ name: 'tls', port: 9443 }]),
    service('istio-ingress', 'istio-ingressgateway', { app: 'istio-ingressgateway', istio: 'ingressgateway' }, [{ name: 'tls', port: 443, targetPort: 9443 }], { labels: { app: 'istio-ingressgateway' } }),
  ];
}
