/**
 * The API server's defaulting of networking.k8s.io/v1 NetworkPolicy
 * (pkg/apis/networking/v1/defaults.go): `protocol: TCP` on every port entry without one, and
 * `policyTypes` when absent or empty: Ingress, plus Egress when there is at least one egress
 * rule. The issue calls this `default(policy)`; `default` is reserved, hence `applyDefaults`.
 */
import type { NetworkPolicy, NetworkPolicyPort, PolicyType } from '../types/network-policy.js';

function defaultPorts(ports: NetworkPolicyPort[] | undefined): NetworkPolicyPort[] | undefined {
  if (!Array.isArray(ports)) return ports;
  return ports.map((port) => (port && typeof port === 'object' && port.protocol == null ? { ...port, protocol: 'TCP' } : port));
}

/** A defaulted copy; the input is not modified. Idempotent. */
export function applyDefaults<T extends NetworkPolicy>(policy: T): T {
  const copy = structuredClone(policy);
  const spec = copy.spec ?? ({ podSelector: {} } as T['spec']);
  copy.spec = spec;
  // podSelector has no omitempty: a policy created with `spec: {}` reads back with `podSelector: {}`.
  if (spec.podSelector === undefined || spec.podSelector === null) spec.podSelector = {};
  if (Array.isArray(spec.ingress)) {
    spec.ingress = spec.ingress.map((rule) => (rule && typeof rule === 'object' ? { ...rule, ...portsOf(rule.ports) } : rule));
  }
  if (Array.isArray(spec.egress)) {
    spec.egress = spec.egress.map((rule) => (rule && typeof rule === 'object' ? { ...rule, ...portsOf(rule.ports) } : rule));
  }
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    const types: PolicyType[] = ['Ingress'];
    if (Array.isArray(spec.egress) && spec.egress.length > 0) types.push('Egress');
    spec.policyTypes = types;
  }
  return copy;
}

function portsOf(ports: NetworkPolicyPort[] | undefined): { ports?: NetworkPolicyPort[] } {
  const defaulted = defaultPorts(ports);
  return defaulted === undefined ? {} : { ports: defaulted };
}

/** `default` is a reserved word; this alias carries the name as far as JS allows. */
export { applyDefaults as defaultNetworkPolicy };
