/** Contexts for rendering the packs in tests: a KKP-style user cluster and a Gardener-style seed. */
import type { TemplateContext } from '../template/template.types.js';

export const kkpUserCluster = (params: Record<string, unknown> = {}): TemplateContext => ({
  cluster: {
    name: 'xk7t2m9q',
    labels: { provider: 'aws' },
    networks: { pods: ['172.25.0.0/16'], services: ['10.240.16.0/20'], nodes: ['192.168.1.0/24'] },
    controlPlaneNamespace: 'cluster-xk7t2m9q',
  },
  seed: { name: 'europe-west', networks: { pods: ['10.244.0.0/16'], services: ['10.96.0.0/12'], nodes: ['10.250.0.0/16'] }, blockedCIDRs: [] },
  namespace: 'cluster-xk7t2m9q',
  params,
});

const seedFacts = {
  name: 'aws-eu1',
  networks: { pods: ['100.96.0.0/11'], services: ['100.64.0.0/13'], nodes: ['10.250.0.0/16'] },
  blockedCIDRs: ['169.254.169.254/32', '203.0.113.0/24'],
};

export const gardenerSeed = (namespace = 'garden', params: Record<string, unknown> = {}): TemplateContext => ({
  cluster: { name: seedFacts.name, labels: { 'seed.gardener.cloud/provider': 'aws' }, networks: seedFacts.networks, controlPlaneNamespace: null },
  seed: seedFacts,
  namespace,
  params,
});

export const gardenerShoot = (params: Record<string, unknown> = {}): TemplateContext => ({
  cluster: {
    name: 'crazy-botany',
    labels: {},
    networks: { pods: ['100.96.0.0/11'], services: ['100.64.0.0/13'], nodes: ['10.180.0.0/16'] },
    controlPlaneNamespace: 'shoot--garden-dev--crazy-botany',
  },
  seed: seedFacts,
  namespace: 'kube-system',
  params,
});
