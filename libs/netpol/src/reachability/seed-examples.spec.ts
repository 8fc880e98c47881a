/** The remaining examples of the seed documents, validated and checked with the engine. */
import { describe, expect, it } from 'vitest';
import type { NetworkPolicy } from '../types/network-policy.js';
import { validate } from '../validation/network-policy.validation.js';
import { isAllowed } from './evaluate-queries.js';
import type { ClusterModel } from './reachability.types.js';

describe('seed 004: "Applying Network Policies"', () => {
  const denyAllTraffic: NetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny-all-traffic', namespace: 'default' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
  const allowAppTraffic: NetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-app-traffic', namespace: 'default' },
    spec: {
      podSelector: { matchLabels: { app: 'my-app' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }],
    },
  };
  const model: ClusterModel = {
    namespaces: [{ name: 'default' }],
    pods: [
      { namespace: 'default', name: 'my-app', labels: { app: 'my-app' }, ip: '10.9.0.1' },
      { namespace: 'default', name: 'frontend', labels: { app: 'frontend' }, ip: '10.9.0.2' },
      { namespace: 'default', name: 'other', labels: { app: 'other' }, ip: '10.9.0.3' },
    ],
  };

  it('both policies are valid', () => {
    expect(validate(denyAllTraffic)).toEqual([]);
    expect(validate(allowAppTraffic)).toEqual([]);
  });

  it('deny-all-traffic blocks all traffic to and from the selected pods', () => {
    expect(isAllowed(model, [denyAllTraffic], { from: 'default/frontend', to: 'default/my-app', port: 80 }).allowed).toBe(false);
    expect(isAllowed(model, [denyAllTraffic], { from: 'default/my-app', to: '1.1.1.1', port: 443 }).allowed).toBe(false);
  });

  it('allow-app-traffic lets only app=frontend into app=my-app', () => {
    expect(isAllowed(model, [allowAppTraffic], { from: 'default/frontend', to: 'default/my-app', port: 80 }).allowed).toBe(true);
    expect(isAllowed(model, [allowAppTraffic], { from: 'default/other', to: 'default/my-app', port: 80 }).allowed).toBe(false);
    expect(isAllowed(model, [allowAppTraffic], { from: 'default/other', to: 'default/frontend', port: 80 }).allowed).toBe(true);
  });

  it('with both, even frontend is cut off: its egress is denied', () => {
    const r = isAllowed(model, [denyAllTraffic, allowAppTraffic], { from: 'default/frontend', to: 'default/my-app', port: 80 });
    expect(r.allowed).toBe(false);
    expect(r.explanation.egress.isolatedBy).toEqual(['default/deny-all-traffic']);
    expect(r.explanation.ingress.allowedBy).toEqual([{ policy: 'default/allow-app-traffic', direction: 'ingress', rule: 0 }]);
  });
});

describe('seed 001: Gardener\'s allow-from-seed for custom namespaces', () => {
  const allowFromSeed: NetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-from-seed', namespace: 'custom-namespace' },
    spec: {
      podSelector: {},
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { 'gardener.cloud/purpose': 'kube-system' } }, podSelector: { matchLabels: { app: 'vpn-shoot' } } },
          ],
        },
      ],
    },
  };
  const model: ClusterModel = {
    namespaces: [{ name: 'kube-system', labels: { 'gardener.cloud/purpose': 'kube-system' } }, { name: 'custom-namespace' }],
    pods: [
      { namespace: 'kube-system', name: 'vpn-shoot', labels: { app: 'vpn-shoot' }, ip: '100.96.0.3' },
      { namespace: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' }, ip: '100.96.0.2' },
      { namespace: 'custom-namespace', name: 'webhook', labels: {}, ip: '100.96.2.1' },
      { namespace: 'custom-namespace', name: 'vpn-shoot', labels: { app: 'vpn-shoot' }, ip: '100.96.2.2' },
    ],
  };

  it('is valid and defaults to an Ingress policy', () => {
    expect(validate(allowFromSeed)).toEqual([]);
  });

  it('admits the VPN endpoint of kube-system only', () => {
    expect(isAllowed(model, [allowFromSeed], { from: 'kube-system/vpn-shoot', to: 'custom-namespace/webhook', port: 9443 }).allowed).toBe(true);
    expect(isAllowed(model, [allowFromSeed], { from: 'kube-system/coredns', to: 'custom-namespace/webhook', port: 9443 }).allowed).toBe(false);
    expect(isAllowed(model, [allowFromSeed], { from: 'custom-namespace/vpn-shoot', to: 'custom-namespace/webhook', port: 9443 }).allowed).toBe(false);
  });
});
