/**
 * KKP "API Server Network Policies" (seed 000): the egress of the user cluster's kube-apiserver
 * pods, in its control-plane namespace `cluster-<id>` on the seed, is restricted to etcd,
 * dns-resolver, openvpn-server, machine-controller-webhook and metrics-server of the same user
 * cluster. Governed by the `apiserverNetworkPolicy` feature gate; turning it off removes them.
 */
import type { PolicyTemplate } from '../template/template.types.js';
import { packMetadata } from './pack-metadata.js';
import type { PolicyPack } from './pack.types.js';

const PACK = 'kkp-apiserver';

const TARGETS: { component: string; parameter: string; description: string }[] = [
  { component: 'etcd', parameter: 'etcdLabels', description: 'Allows the kube-apiserver to reach the etcd of its user cluster.' },
  { component: 'dns-resolver', parameter: 'dnsResolverLabels', description: 'Allows the kube-apiserver to reach the dns-resolver of its user cluster.' },
  { component: 'openvpn-server', parameter: 'openvpnServerLabels', description: 'Allows the kube-apiserver to reach the openvpn-server of its user cluster.' },
  {
    component: 'machine-controller-webhook',
    parameter: 'machineControllerWebhookLabels',
    description: 'Allows the kube-apiserver to reach the machine-controller webhook of its user cluster.',
  },
  { component: 'metrics-server', parameter: 'metricsServerLabels', description: 'Allows the kube-apiserver to reach the metrics-server of its user cluster.' },
];

const denyAll: PolicyTemplate = {
  name: `${PACK}/apiserver-deny-all-egress`,
  description: 'Isolates the kube-apiserver pods for egress: only the allow policies of this pack open traffic.',
  policy: {
    metadata: packMetadata(PACK, 'apiserver-deny-all-egress', 'Isolates the kube-apiserver pods of this user cluster for egress.'),
    spec: { podSelector: { matchLabels: { $eval: 'params.apiserverLabels' } }, policyTypes: ['Egress'] },
  },
};

const allows: PolicyTemplate[] = TARGETS.map(({ component, parameter, description }) => ({
  name: `${PACK}/apiserver-allow-${component}`,
  description,
  policy: {
    metadata: packMetadata(PACK, `apiserver-allow-${component}`, description),
    spec: {
      podSelector: { matchLabels: { $eval: 'params.apiserverLabels' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { $eval: `params.${parameter}` } } }] }],
    },
  },
}));

export const kkpApiserverPack: PolicyPack = {
  name: PACK,
  description:
    "KKP's API server network policies: the kube-apiserver of a user cluster may only reach etcd, dns-resolver, openvpn-server, machine-controller-webhook and metrics-server of the same cluster.",
  gate: 'apiserverNetworkPolicy',
  targetRole: 'user',
  placement: { kind: 'controlPlaneNamespace' },
  parameters: [
    { name: 'apiserverLabels', type: 'labels', default: { app: 'apiserver' }, description: 'Labels of the kube-apiserver pods.' },
    ...TARGETS.map(({ component, parameter }) => ({
      name: parameter,
      type: 'labels' as const,
      default: { app: component },
      description: `Labels of the ${component} pods.`,
    })),
  ],
  templates: [denyAll, ...allows],
};
