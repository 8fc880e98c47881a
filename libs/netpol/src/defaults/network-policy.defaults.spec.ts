import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { networkPolicy } from '../testing/arbitraries.js';
import type { NetworkPolicy } from '../types/network-policy.js';
import { applyDefaults } from './network-policy.defaults.js';

const base = (spec: Partial<NetworkPolicy['spec']>): NetworkPolicy => ({
  metadata: { name: 'p', namespace: 'ns' },
  spec: { podSelector: {}, ...spec },
});

describe('applyDefaults', () => {
  it('sets protocol TCP on ports without one, in both directions', () => {
    const out = applyDefaults(base({ ingress: [{ ports: [{ port: 80 }, { protocol: 'UDP', port: 53 }, {}] }], egress: [{ ports: [{ port: 'dns' }] }] }));
    expect(out.spec.ingress?.[0]?.ports).toEqual([{ port: 80, protocol: 'TCP' }, { protocol: 'UDP', port: 53 }, { protocol: 'TCP' }]);
    expect(out.spec.egress?.[0]?.ports).toEqual([{ port: 'dns', protocol: 'TCP' }]);
  });

  it.each<[string, Partial<NetworkPolicy['spec']>, string[]]>([
    ['no rules', {}, ['Ingress']],
    ['ingress only', { ingress: [{}] }, ['Ingress']],
    ['one egress rule', { egress: [{}] }, ['Ingress', 'Egress']],
    ['empty egress list', { egress: [] }, ['Ingress']],
    ['empty policyTypes', { policyTypes: [], egress: [{}] }, ['Ingress', 'Egress']],
    ['explicit Egress kept', { policyTypes: ['Egress'] }, ['Egress']],
  ])('policyTypes for %s', (_name, spec, expected) => {
    expect(applyDefaults(base(spec)).spec.policyTypes).toEqual(expected);
  });

  it('reads `spec: {}` back as the API server does: podSelector {} (no omitempty) and policyTypes [Ingress]', () => {
    const out = applyDefaults({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: {} } as never) as { spec: unknown };
    expect(out.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });

  it('does not modify its input', () => {
    const input = base({ ingress: [{ ports: [{ port: 80 }] }] });
    const before = structuredClone(input);
    applyDefaults(input);
    expect(input).toEqual(before);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(networkPolicy, (p) => {
        const once = applyDefaults(p);
        expect(applyDefaults(once)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });
});
