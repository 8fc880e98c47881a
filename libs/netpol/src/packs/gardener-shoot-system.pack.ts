/**
 * The eight `gardener.cloud--allow-*` NetworkPolicies gardenlet deploys into a shoot's
 * `kube-system` (seed 001), with the pod selectors the document lists. No deny-all: shoot owners
 * add it; these keep the system components working when they do.
 */
import type { PolicyTemplate } from '../template/template.types.js';
import { DNS_PORTS, packMetadata, PRIVATE_NETWORKS } from './pack-metadata.js';
import type { PolicyPack } from './pack.types.js';

const PACK = 'gardener-shoot-system';

function template(name: string, description: string, spec: PolicyTemplate['policy']): PolicyTemplate {
  const full = `gardener.cloud--${name}`;
  return { name: `${PACK}/${full}`, description, policy: { metadata: packMetadata(PACK, full, description), spec } };
}

const optIn = (label: string) => ({ matchLabels: { [`networking.gardener.cloud/${label}`]: 'allowed' } });
const KUBE_DNS = { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] };

export const gardenerShootSystemPack: PolicyPack = {
  name: PACK,
  description: "Gardener's NetworkPolicies for the shoot's kube-system namespace, so system components keep working under a deny-all.",
  gate: 'shootSystemPolicies',
  targetRole: 'user',
  placement: { kind: 'namespaces', names: ['kube-system'] },
  parameters: [
    { name: 'apiserverCIDRs', type: 'cidrList', default: null, description: "Addresses of the shoot's API server; any address when unset." },
    { name: 'apiserverPort', type: 'port', default: 443, description: "The shoot API server's port." },
    { name: 'kubeletPort', type: 'port', default: 10250, description: "The kubelet's port on the nodes." },
  ],
  templates: [
    template('allow-dns', 'Allows DNS queries to the cluster DNS pods (k8s-app in (kube-dns)) and their queries upstream.', {
      podSelector: KUBE_DNS,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: DNS_PORTS }],
      egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
    }),
    template('allow-from-seed', 'Allows ingress from the VPN endpoint (app=vpn-shoot) to pods labeled networking.gardener.cloud/from-seed=allowed.', {
      podSelector: optIn('from-seed'),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'vpn-shoot' } } }] }],
    }),
    template('allow-to-dns', 'Allows egress from pods labeled networking.gardener.cloud/to-dns=allowed to the cluster DNS pods.', {
      podSelector: optIn('to-dns'),
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: KUBE_DNS }], ports: DNS_PORTS }],
    }),
    template('allow-to-apiserver', 'Allows egress from pods labeled networking.gardener.cloud/to-apiserver=allowed to the shoot API server.', {
      podSelector: optIn('to-apiserver'),
      policyTypes: ['Egress'],
      egress: [
        {
          $merge: [
            { ports: [{ protocol: 'TCP', port: { $eval: 'params.apiserverPort' } }] },
            {
              $if: 'params.apiserverCIDRs',
              then: { to: { $map: { $eval: 'params.apiserverCIDRs' }, 'each(c)': { ipBlock: { cidr: { $eval: 'c' } } } } },
              else: {},
            },
          ],
        },
      ],
    }),
    template('allow-to-from-nginx', 'Allows all ingress to and egress from the nginx-ingress pods (app=nginx-ingress).', {
      podSelector: { matchLabels: { app: 'nginx-ingress' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{}],
      egress: [{}],
    }),
    template('allow-to-kubelet', 'Allows egress from pods labeled networking.gardener.cloud/to-kubelet=allowed to the kubelets on the nodes.', {
      podSelector: optIn('to-kubelet'),
      policyTypes: ['Egress'],
      egress: [
        {
          to: {
            $map: { $if: 'cluster.networks.nodes', then: { $eval: 'cluster.networks.nodes' }, else: ['0.0.0.0/0'] },
            'each(c)': { ipBlock: { cidr: { $eval: 'c' } } },
          },
          ports: [{ protocol: 'TCP', port: { $eval: 'params.kubeletPort' } }],
        },
      ],
    }),
    template(
      'allow-to-public-networks',
      'Allows egress from pods labeled networking.gardener.cloud/to-public-networks=allowed to public IPv4 addresses (not RFC 1918, not RFC 6598).',
      {
        podSelector: optIn('to-public-networks'),
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_NETWORKS } }] }],
      },
    ),
    template('allow-vpn', 'Allows all egress from the VPN endpoint (app=vpn-shoot), which carries traffic from the control plane.', {
      podSelector: { matchLabels: { app: 'vpn-shoot' } },
      policyTypes: ['Egress'],
      egress: [{}],
    }),
  ],
};
