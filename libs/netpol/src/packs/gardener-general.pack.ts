/**
 * Gardener's "general NetworkPolicies" of garden and seed clusters (seed 001), deployed into
 * `garden`, `istio-system`, `istio-ingress-*`, `shoot-*`, `extension-*` and the namespaces of
 * additional namespace selectors. Pods opt in with `networking.gardener.cloud/to-*=allowed`.
 * Rendered with the seed as the cluster: its networks and `blockedCIDRs` come from the context.
 */
import type { PolicyTemplate } from '../template/template.types.js';
import { DNS_PORTS, packMetadata, PRIVATE_NETWORKS } from './pack-metadata.js';
import type { PolicyPack } from './pack.types.js';

const PACK = 'gardener-general';

function template(name: string, description: string, spec: PolicyTemplate['policy']): PolicyTemplate {
  return { name: `${PACK}/${name}`, description, policy: { metadata: packMetadata(PACK, name, description), spec } };
}

const optIn = (target: string) => ({ matchLabels: { [`networking.gardener.cloud/to-${target}`]: 'allowed' } });

/** The seed's blocked CIDRs (empty without a seed). */
const BLOCKED = { $if: 'seed', then: { $eval: 'seed.blockedCIDRs' }, else: [] };

export const gardenerGeneralPack: PolicyPack = {
  name: PACK,
  description:
    "Gardener's general NetworkPolicies for garden and seed namespaces: deny all, then allow DNS, the runtime API server, blocked CIDRs, public and private networks to pods that opt in by label.",
  gate: 'gardenerGeneralPolicies',
  targetRole: 'seed',
  placement: { kind: 'namespaces', names: ['garden', 'istio-system'], globs: ['istio-ingress-*', 'shoot-*', 'extension-*'], selectors: [] },
  parameters: [
    {
      name: 'runtimeApiserverCIDRs',
      type: 'cidrList',
      default: null,
      description: "Addresses of the runtime cluster's API server; defaults to the cluster's service networks.",
    },
    { name: 'runtimeApiserverPort', type: 'port', default: 443, description: "The runtime API server's port." },
  ],
  templates: [
    template('deny-all', 'Denies all ingress and egress traffic for all pods in this namespace.', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    }),
    template('allow-to-dns', 'Allows egress from pods labeled networking.gardener.cloud/to-dns=allowed to the DNS pods in kube-system.', {
      podSelector: optIn('dns'),
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] },
            },
          ],
          ports: DNS_PORTS,
        },
      ],
    }),
    template(
      'allow-to-runtime-apiserver',
      'Allows egress from pods labeled networking.gardener.cloud/to-runtime-apiserver=allowed to the API server of the runtime cluster.',
      {
        podSelector: optIn('runtime-apiserver'),
        policyTypes: ['Egress'],
        egress: [
          {
            to: {
              $map: {
                $if: 'params.runtimeApiserverCIDRs',
                then: { $eval: 'params.runtimeApiserverCIDRs' },
                else: { $eval: 'cluster.networks.services' },
              },
              'each(c)': { ipBlock: { cidr: { $eval: 'c' } } },
            },
            ports: [{ protocol: 'TCP', port: { $eval: 'params.runtimeApiserverPort' } }],
          },
        ],
      },
    ),
    template(
      'allow-to-blocked-cidrs',
      'Allows egress from pods labeled networking.gardener.cloud/to-blocked-cidrs=allowed to the blocked CIDRs of the seed (.spec.networking.blockedCIDRs).',
      {
        $let: { blocked: BLOCKED },
        in: {
          podSelector: optIn('blocked-cidrs'),
          policyTypes: ['Egress'],
          egress: {
            $if: 'len(blocked) > 0',
            then: [{ to: { $map: { $eval: 'blocked' }, 'each(c)': { ipBlock: { cidr: { $eval: 'c' } } } } }],
            else: [],
          },
        },
      },
    ),
    template(
      'allow-to-public-networks',
      'Allows egress from pods labeled networking.gardener.cloud/to-public-networks=allowed to all public IPv4 addresses: not RFC 1918, not RFC 6598, not the blocked CIDRs.',
      {
        $let: { blocked: BLOCKED },
        in: {
          podSelector: optIn('public-networks'),
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  ipBlock: {
                    cidr: '0.0.0.0/0',
                    except: { $eval: `concat(${JSON.stringify(PRIVATE_NETWORKS)}, cidrsWithin(blocked, "0.0.0.0/0"))` },
                  },
                },
              ],
            },
          ],
        },
      },
    ),
    template(
      'allow-to-private-networks',
      'Allows egress from pods labeled networking.gardener.cloud/to-private-networks=allowed to RFC 1918 and RFC 6598 networks, except the networks of the cluster itself.',
      {
        $let: {
          own: { $eval: 'concat(cluster.networks.pods, cluster.networks.services, cluster.networks.nodes)' },
        },
        in: {
          $let: {
            ranges: { $map: PRIVATE_NETWORKS, 'each(r)': { $if: '!(cidrCoveredBy(r, own))', then: { $eval: 'r' } } },
          },
          in: {
            podSelector: optIn('private-networks'),
            policyTypes: ['Egress'],
            egress: {
              $if: 'len(ranges) > 0',
              then: [{ to: { $map: { $eval: 'ranges' }, 'each(r)': { ipBlock: { cidr: { $eval: 'r' }, except: { $eval: 'cidrsWithin(own, r)' } } } } }],
              else: [],
            },
          },
        },
      },
    ),
  ],
};
