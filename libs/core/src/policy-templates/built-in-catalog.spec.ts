import { builtInPacks, renderTemplate } from '@fleetgate/netpol';
import { describe, expect, it } from 'vitest';
import { templateContext } from '../desired-state/desired-state.builder.js';
import { builtInGates, builtInTemplates } from './built-in-catalog.js';
import { SAMPLE_CLUSTER } from './policy-template.service.js';

describe('built-in catalog', () => {
  it('defines the product gates and every gate a pack declares, off by default', () => {
    const keys = builtInGates().map((g) => g.key);
    expect(keys).toEqual(expect.arrayContaining(['apiserverNetworkPolicy', 'gardenerGeneralPolicies', 'shootSystemPolicies']));
    for (const pack of Object.values(builtInPacks)) if (pack.gate) expect(keys).toContain(pack.gate);
    expect(builtInGates().every((g) => g.defaultValue === false && g.description.length > 0)).toBe(true);
  });

  it('makes a gated pack one template with a default binding under its gate; alternatives become templates without one', () => {
    const byName = new Map(builtInTemplates().map((t) => [t.name, t]));
    expect(byName.get('kkp-apiserver')?.defaultBinding).toEqual({ name: 'kkp-apiserver', clusterRole: 'user', placement: { kind: 'controlPlaneNamespace' }, gate: 'apiserverNetworkPolicy' });
    expect(byName.get('gardener-general')?.defaultBinding).toMatchObject({ clusterRole: 'seed', gate: 'gardenerGeneralPolicies', placement: { kind: 'namespaces', globs: ['istio-ingress-*', 'shoot-*', 'extension-*'] } });
    const defaults = [...byName.values()].filter((t) => t.pack === 'kubernetes-defaults');
    expect(defaults.map((t) => t.name).sort()).toEqual([
      'kubernetes-defaults-allow-all-egress',
      'kubernetes-defaults-allow-all-ingress',
      'kubernetes-defaults-default-deny-all',
      'kubernetes-defaults-default-deny-egress',
      'kubernetes-defaults-default-deny-ingress',
    ]);
    expect(defaults.every((t) => t.defaultBinding === null)).toBe(true);
    // template names label every object rendered from them: label values of at most 63 characters
    for (const t of byName.values()) expect(t.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });

  it('every built-in template renders against the publishing sample, as a published version must', () => {
    for (const t of builtInTemplates()) {
      const r = renderTemplate({ name: t.name, description: t.description, policy: t.body }, templateContext(SAMPLE_CLUSTER, 'sample-namespace', {}), t.parameters);
      expect(r.ok, t.name).toBe(true);
    }
  });
});
