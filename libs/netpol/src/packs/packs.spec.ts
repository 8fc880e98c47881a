import { describe, expect, it } from 'vitest';
import { selectorFromLabelSelector } from '../labels/label-selector.js';
import { parseSelector } from '../labels/selector-parser.js';
import type { NetworkPolicy } from '../types/network-policy.js';
import { validate } from '../validation/network-policy.validation.js';
import { builtInPacks, DESCRIPTION_ANNOTATION, renderPack, resolvePlacement, type PolicyPack } from './index.js';
import { gardenerSeed, gardenerShoot, kkpUserCluster } from './pack-fixtures.js';

function render(pack: PolicyPack, context: Parameters<typeof renderPack>[1], templates?: string[]): NetworkPolicy[] {
  const result = renderPack(pack, context, templates ? { templates } : {});
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.policies;
}

const byName = (policies: NetworkPolicy[]): Record<string, NetworkPolicy> =>
  Object.fromEntries(policies.map((p): [string, NetworkPolicy] => [p.metadata.name ?? '', p]));

describe('built-in packs', () => {
  const contexts = { user: kkpUserCluster(), seed: gardenerSeed(), shoot: gardenerShoot() };

  it.each(Object.values(builtInPacks).flatMap((pack) => Object.entries(contexts).map(([c, ctx]) => [pack.name, c, pack, ctx] as const)))(
    '%s renders valid, labelled, described policies for a %s cluster',
    (_name, _ctx, pack, context) => {
      const policies = render(pack, context);
      expect(policies.length).toBe(pack.templates.length);
      for (const policy of policies) {
        expect(validate(policy)).toEqual([]);
        expect(policy.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('fleetgate');
        expect(policy.metadata.labels?.['fleetgate.io/pack']).toBe(pack.name);
        expect(policy.metadata.annotations?.[DESCRIPTION_ANNOTATION]?.length).toBeGreaterThan(10);
        expect(policy.metadata.namespace).toBe(context.namespace);
      }
      expect(new Set(policies.map((p) => p.metadata.name)).size).toBe(policies.length);
    },
  );

  it('declares the gates of the issue', () => {
    expect(Object.fromEntries(Object.values(builtInPacks).map((p) => [p.name, p.gate]))).toEqual({
      'kkp-apiserver': 'apiserverNetworkPolicy',
      'gardener-general': 'gardenerGeneralPolicies',
      'gardener-shoot-system': 'shootSystemPolicies',
      'kubernetes-defaults': null,
    });
  });

  it('kkp-apiserver: one deny and the five egress destinations of the KKP document, in cluster-<id>', () => {
    const policies = render(builtInPacks['kkp-apiserver'], kkpUserCluster());
    expect(policies.map((p) => p.metadata.name)).toEqual([
      'apiserver-deny-all-egress',
      'apiserver-allow-etcd',
      'apiserver-allow-dns-resolver',
      'apiserver-allow-openvpn-server',
      'apiserver-allow-machine-controller-webhook',
      'apiserver-allow-metrics-server',
    ]);
    expect(new Set(policies.map((p) => p.metadata.namespace))).toEqual(new Set(['cluster-xk7t2m9q']));
    expect(resolvePlacement(builtInPacks['kkp-apiserver'].placement, { namespaces: [], controlPlaneNamespace: 'cluster-xk7t2m9q' })).toEqual([
      'cluster-xk7t2m9q',
    ]);
  });

  it('gardener-general: the six general policies with the opt-in labels of the document', () => {
    const policies = byName(render(builtInPacks['gardener-general'], gardenerSeed('shoot--dev--a')));
    expect(Object.keys(policies)).toEqual([
      'deny-all',
      'allow-to-dns',
      'allow-to-runtime-apiserver',
      'allow-to-blocked-cidrs',
      'allow-to-public-networks',
      'allow-to-private-networks',
    ]);
    for (const [name, label] of [
      ['allow-to-dns', 'networking.gardener.cloud/to-dns=allowed'],
      ['allow-to-runtime-apiserver', 'networking.gardener.cloud/to-runtime-apiserver=allowed'],
      ['allow-to-blocked-cidrs', 'networking.gardener.cloud/to-blocked-cidrs=allowed'],
      ['allow-to-public-networks', 'networking.gardener.cloud/to-public-networks=allowed'],
      ['allow-to-private-networks', 'networking.gardener.cloud/to-private-networks=allowed'],
    ] as const) {
      expect(selectorFromLabelSelector(policies[name]!.spec.podSelector)).toEqual(parseSelector(label));
    }
    expect(policies['allow-to-public-networks']?.spec.egress?.[0]?.to?.[0]?.ipBlock).toEqual({
      cidr: '0.0.0.0/0',
      except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.169.254/32', '203.0.113.0/24'],
    });
    expect(policies['allow-to-blocked-cidrs']?.spec.egress?.[0]?.to).toEqual([
      { ipBlock: { cidr: '169.254.169.254/32' } },
      { ipBlock: { cidr: '203.0.113.0/24' } },
    ]);
    // The seed's own networks (10.250/16 nodes; 100.64/13 services and 100.96/11 pods) are carved out.
    expect(policies['allow-to-private-networks']?.spec.egress?.[0]?.to).toEqual([
      { ipBlock: { cidr: '10.0.0.0/8', except: ['10.250.0.0/16'] } },
      { ipBlock: { cidr: '172.16.0.0/12', except: [] } },
      { ipBlock: { cidr: '192.168.0.0/16', except: [] } },
      { ipBlock: { cidr: '100.64.0.0/10', except: ['100.96.0.0/11', '100.64.0.0/13'] } },
    ]);
  });

  it('gardener-general: without blocked CIDRs the blocked-cidrs policy allows nothing (never everything)', () => {
    const ctx = gardenerSeed();
    ctx.seed = { ...ctx.seed!, blockedCIDRs: [] };
    const policies = byName(render(builtInPacks['gardener-general'], ctx));
    expect(policies['allow-to-blocked-cidrs']?.spec.egress).toEqual([]);
  });

  it('gardener-general: a private range covered by the cluster networks is left out', () => {
    const ctx = gardenerSeed();
    ctx.cluster.networks = { pods: ['10.0.0.0/8'], services: [], nodes: [] };
    const ranges = byName(render(builtInPacks['gardener-general'], ctx))['allow-to-private-networks']?.spec.egress?.[0]?.to?.map((p) => p.ipBlock?.cidr);
    expect(ranges).toEqual(['172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']);
  });

  it('gardener-general: placement covers the namespaces of the document plus additional selectors', () => {
    const placement = { ...builtInPacks['gardener-general'].placement, selectors: [{ matchLabels: { foo: 'bar' } }] };
    const namespaces = [
      { name: 'garden' },
      { name: 'istio-system' },
      { name: 'istio-ingress--a' },
      { name: 'shoot--dev--a' },
      { name: 'extension-provider-aws' },
      { name: 'custom', labels: { foo: 'bar' } },
      { name: 'kube-system' },
      { name: 'default' },
    ];
    expect(resolvePlacement(placement, { namespaces })).toEqual(['garden', 'istio-system', 'istio-ingress--a', 'shoot--dev--a', 'extension-provider-aws', 'custom']);
  });

  it('gardener-shoot-system: the eight policies and pod selectors of the document', () => {
    const policies = render(builtInPacks['gardener-shoot-system'], gardenerShoot());
    const table: [string, string][] = [
      ['gardener.cloud--allow-dns', 'k8s-app in (kube-dns)'],
      ['gardener.cloud--allow-from-seed', 'networking.gardener.cloud/from-seed=allowed'],
      ['gardener.cloud--allow-to-dns', 'networking.gardener.cloud/to-dns=allowed'],
      ['gardener.cloud--allow-to-apiserver', 'networking.gardener.cloud/to-apiserver=allowed'],
      ['gardener.cloud--allow-to-from-nginx', 'app=nginx-ingress'],
      ['gardener.cloud--allow-to-kubelet', 'networking.gardener.cloud/to-kubelet=allowed'],
      ['gardener.cloud--allow-to-public-networks', 'networking.gardener.cloud/to-public-networks=allowed'],
      ['gardener.cloud--allow-vpn', 'app=vpn-shoot'],
    ];
    expect(policies.map((p) => [p.metadata.name, selectorFromLabelSelector(p.spec.podSelector)])).toEqual(
      table.map(([name, sel]) => [name, parseSelector(sel)]),
    );
    expect(policies.every((p) => p.metadata.namespace === 'kube-system')).toBe(true);
    expect(policies.some((p) => p.metadata.name?.includes('deny'))).toBe(false);
  });

  it('kubernetes-defaults: the five policies of the Kubernetes page, selectable one by one', () => {
    const policies = byName(render(builtInPacks['kubernetes-defaults'], { ...kkpUserCluster(), namespace: 'default' }));
    expect(Object.fromEntries(Object.entries(policies).map(([n, p]) => [n, p.spec]))).toEqual({
      'default-deny-ingress': { podSelector: {}, policyTypes: ['Ingress'] },
      'allow-all-ingress': { podSelector: {}, ingress: [{}], policyTypes: ['Ingress'] },
      'default-deny-egress': { podSelector: {}, policyTypes: ['Egress'] },
      'allow-all-egress': { podSelector: {}, egress: [{}], policyTypes: ['Egress'] },
      'default-deny-all': { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(render(builtInPacks['kubernetes-defaults'], kkpUserCluster(), ['default-deny-all']).map((p) => p.metadata.name)).toEqual(['default-deny-all']);
    expect(renderPack(builtInPacks['kubernetes-defaults'], kkpUserCluster(), { templates: ['nope'] }).ok).toBe(false);
  });

  it('passes binding parameters through and rejects bad ones by name', () => {
    const policies = byName(render(builtInPacks['gardener-general'], gardenerSeed('garden', { runtimeApiserverCIDRs: ['10.250.0.10/32'], runtimeApiserverPort: 6443 })));
    expect(policies['allow-to-runtime-apiserver']?.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.250.0.10/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] }]);
    const bad = renderPack(builtInPacks['gardener-general'], gardenerSeed('garden', { runtimeApiserverPort: 0 }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatchObject({ field: 'params.runtimeApiserverPort', parameter: 'runtimeApiserverPort' });
  });
});
