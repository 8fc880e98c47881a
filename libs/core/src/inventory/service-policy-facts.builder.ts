/**
 * From a cluster's stored inventory to the facts libs/netpol's pure builders take: which kind of
 * Gardener cluster it is (a seed runs the resource-manager's NetworkPolicy controller; a user
 * cluster is a shoot, where only the allow-from-seed template applies) and the CNI facts.
 */
import { type CniFacts, type DerivedPolicy, type ServiceAnnotationError, type ServicePolicyFacts, buildGardenerServicePolicies, canonicalJson } from '@fleetgate/netpol';
import { createHash } from 'node:crypto';
import type { ClusterRole } from '../clusters/cluster.model.js';
import type { ClusterInventory } from './inventory.model.js';

type Snapshot = ClusterInventory['snapshot'];

export function servicePolicyFacts(role: ClusterRole, snapshot: Snapshot): ServicePolicyFacts {
  return {
    clusterKind: role === 'seed' ? 'seed' : 'shoot',
    namespaces: snapshot.namespaces.map((n) => ({ name: n.name, labels: n.labels, terminating: n.terminating ?? false })),
    services: snapshot.services.map((s) => ({ namespace: s.namespace, name: s.name, selector: s.selector, ports: s.ports, annotations: s.annotations })),
  };
}

export function cniFacts(snapshot: Snapshot, serverVersion: string | null): CniFacts {
  return {
    daemonSets: snapshot.daemonSets.filter((d) => d.namespace === 'kube-system').map((d) => ({ name: d.name, labels: d.labels, images: d.images })),
    pods: snapshot.pods.filter((p) => p.namespace === 'kube-system').map((p) => ({ name: p.name, labels: p.labels })),
    serverVersion,
  };
}

/** The derived policies and errors of a cluster, with a hash of the set (its change starts a reconcile). */
export function deriveServicePolicies(role: ClusterRole, snapshot: Snapshot): { policies: DerivedPolicy[]; errors: ServiceAnnotationError[]; hash: string } {
  const { policies, errors } = buildGardenerServicePolicies(servicePolicyFacts(role, snapshot));
  const hash = createHash('sha256')
    .update(canonicalJson(policies.map((p) => p.policy)))
    .digest('hex');
  return { policies, errors, hash };
}
