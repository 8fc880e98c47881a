import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { networkPolicy, shuffleKeys } from '../testing/arbitraries.js';
import type { NetworkPolicy } from '../types/network-policy.js';
import { canonicalJson, hash, normalize } from './network-policy.normalize.js';

const sent: NetworkPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'allow-dns', namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'fleetgate' } },
  spec: {
    podSelector: { matchLabels: { 'networking.gardener.cloud/to-dns': 'allowed' } },
    egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }], to: [{ namespaceSelector: {}, podSelector: { matchExpressions: [] } }] }],
    ingress: [],
  },
};

/** What an API server returns for `sent`: defaulted, server metadata, empty lists dropped, other key order. */
const readBack = {
  kind: 'NetworkPolicy',
  apiVersion: 'networking.k8s.io/v1',
  metadata: {
    uid: '0b3c', resourceVersion: '42', generation: 1, creationTimestamp: '2026-11-22T04:00:00Z',
    managedFields: [{ manager: 'fleetgate', operation: 'Apply' }],
    namespace: 'kube-system', name: 'allow-dns',
    labels: { 'app.kubernetes.io/managed-by': 'fleetgate' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  },
  spec: {
    policyTypes: ['Ingress', 'Egress'],
    podSelector: { matchLabels: { 'networking.gardener.cloud/to-dns': 'allowed' } },
    egress: [{ to: [{ podSelector: {}, namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
  },
} as NetworkPolicy;

describe('normalize and hash', () => {
  it('makes a policy read back from an API server equal to the one sent', () => {
    expect(normalize(readBack)).toEqual(normalize(sent));
    expect(hash(readBack)).toBe(hash(sent));
    expect(hash(sent)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('removes server-owned metadata and keeps name, namespace, labels, annotations', () => {
    const n = normalize({ ...readBack, metadata: { ...readBack.metadata, annotations: { 'fleetgate.io/description': 'x' } } });
    expect(Object.keys(n.metadata)).toEqual(['annotations', 'labels', 'name', 'namespace']);
    expect(n.metadata.annotations).toEqual({ 'fleetgate.io/description': 'x' });
  });

  it('keeps an empty peer selector, which selects everything', () => {
    const n = normalize(sent);
    expect(n.spec.egress?.[0]?.to?.[0]).toEqual({ namespaceSelector: {}, podSelector: {} });
  });

  it('distinguishes semantic changes', () => {
    const changed = structuredClone(sent);
    changed.spec.egress![0]!.ports![0]!.port = 54;
    expect(hash(changed)).not.toBe(hash(sent));
    const renamedPort = structuredClone(sent);
    renamedPort.spec.egress![0]!.ports![1]!.port = '53' as unknown as number;
    expect(hash(renamedPort)).not.toBe(hash(sent));
  });

  it('produces canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }], u: undefined })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('hash ignores key order', () => {
    fc.assert(
      fc.property(networkPolicy, fc.integer(), (p, seed) => {
        expect(hash(shuffleKeys(p, seed) as NetworkPolicy)).toBe(hash(p));
      }),
      { numRuns: 300 },
    );
  });

  it('normalize is idempotent and hash equals for a policy and its defaulted form', () => {
    fc.assert(
      fc.property(networkPolicy, (p) => {
        expect(normalize(normalize(p))).toEqual(normalize(p));
        expect(hash(normalize(p))).toBe(hash(p));
      }),
      { numRuns: 300 },
    );
  });
});
