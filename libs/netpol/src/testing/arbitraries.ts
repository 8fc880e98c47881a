/** fast-check arbitraries for NetworkPolicies (used by this library's specs only). */
import fc from 'fast-check';
import type { LabelSelector } from '../labels/label-selector.js';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from '../types/network-policy.js';

export const labelKey = fc.constantFrom('app', 'role', 'tier', 'env', 'example.com/team');
export const labelValue = fc.constantFrom('a', 'b', 'c', 'web', 'db');
export const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });

export const selector: fc.Arbitrary<LabelSelector> = fc.record(
  {
    matchLabels: fc.dictionary(labelKey, labelValue, { maxKeys: 2 }),
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({ key: labelKey, operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.array(labelValue, { minLength: 1, maxLength: 2 }) }),
        fc.record({ key: labelKey, operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

export const port: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const), port: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: ['port'] }),
  fc.integer({ min: 1, max: 90 }).chain((p) => fc.record({ port: fc.constant(p), endPort: fc.integer({ min: p, max: 100 }) })),
  fc.record({ port: fc.constantFrom('http', 'dns', 'metrics') }),
  fc.constant({}),
);

export const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ namespaceSelector: selector, podSelector: selector }),
  fc.record(
    { ipBlock: fc.record({ cidr: fc.constantFrom('10.0.0.0/8', '0.0.0.0/0', '10.1.0.0/16'), except: fc.constantFrom(undefined, ['10.1.2.0/24']) }, { requiredKeys: ['cidr'] }) },
  ),
) as fc.Arbitrary<NetworkPolicyPeer>;

const rule = <K extends 'from' | 'to'>(key: K) =>
  fc.record({ ports: fc.array(port, { maxLength: 2 }), [key]: fc.array(peer, { maxLength: 2 }) } as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] });

export const networkPolicy: fc.Arbitrary<NetworkPolicy> = fc.record({
  apiVersion: fc.constant('networking.k8s.io/v1'),
  kind: fc.constant('NetworkPolicy'),
  metadata: fc.record({ name: fc.constantFrom('p1', 'p2', 'p3'), namespace: fc.constantFrom('ns1', 'ns2'), labels: labels }, { requiredKeys: ['name', 'namespace'] }),
  spec: fc.record(
    {
      podSelector: selector,
      ingress: fc.array(rule('from'), { maxLength: 2 }),
      egress: fc.array(rule('to'), { maxLength: 2 }),
      policyTypes: fc.subarray(['Ingress', 'Egress'] as ('Ingress' | 'Egress')[]),
    },
    { requiredKeys: ['podSelector'] },
  ),
}) as fc.Arbitrary<NetworkPolicy>;

/** The same JSON with object keys in a shuffled order. */
export function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => shuffleKeys(v, seed + i));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    const order = keys.map((k, i) => ({ k, r: Math.sin(seed * 9301 + i * 49297) })).sort((a, b) => a.r - b.r);
    const out: Record<string, unknown> = {};
    for (const { k } of order) out[k] = shuffleKeys((value as Record<string, unknown>)[k], seed + 1);
    return out;
  }
  return value;
}
