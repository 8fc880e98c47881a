/**
 * The default policies of the Kubernetes "Network Policies" page (seed 002). They are
 * alternatives: a binding picks the one it wants (renderPack's `templates` option).
 */
import type { PolicyTemplate } from '../template/template.types.js';
import { packMetadata } from './pack-metadata.js';
import type { PolicyPack } from './pack.types.js';

const PACK = 'kubernetes-defaults';

function template(name: string, description: string, spec: PolicyTemplate['policy']): PolicyTemplate {
  return { name: `${PACK}/${name}`, description, policy: { metadata: packMetadata(PACK, name, description), spec } };
}

export const kubernetesDefaultsPack: PolicyPack = {
  name: PACK,
  description: 'The default deny/allow policies of the Kubernetes documentation; a binding picks one per namespace.',
  gate: null,
  targetRole: 'any',
  placement: { kind: 'namespaces', names: ['default'] },
  parameters: [],
  templates: [
    template('default-deny-ingress', 'Selects all pods and allows no ingress: every pod of the namespace is isolated for ingress.', {
      podSelector: {},
      policyTypes: ['Ingress'],
    }),
    template('allow-all-ingress', 'Allows all ingress to all pods of the namespace, whatever other policies isolate.', {
      podSelector: {},
      ingress: [{}],
      policyTypes: ['Ingress'],
    }),
    template('default-deny-egress', 'Selects all pods and allows no egress: every pod of the namespace is isolated for egress.', {
      podSelector: {},
      policyTypes: ['Egress'],
    }),
    template('allow-all-egress', 'Allows all egress from all pods of the namespace, whatever other policies isolate.', {
      podSelector: {},
      egress: [{}],
      policyTypes: ['Egress'],
    }),
    template('default-deny-all', 'Selects all pods and allows neither ingress nor egress.', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    }),
  ],
};
