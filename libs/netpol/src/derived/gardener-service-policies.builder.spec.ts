import { describe, expect, it } from 'vitest';
import { isAllowed } from '../reachability/evaluate-queries.js';
import type { ClusterModel } from '../reachability/reachability.types.js';
import { validate } from '../validation/network-policy.validation.js';
import {
  buildGardenerServicePolicies,
  shortenLabelName,
  toLabelKey,
  type InventoryNamespaceFacts,
  type InventoryServiceFacts,
  type ServicePolicyFacts,
} from './gardener-service-policies.builder.js';

const ns = (name: string, labels: Record<string, string> = {}): InventoryNamespaceFacts => ({ name, labels });
const svc = (namespace: string, name: string, selector: Record<string, string>, ports: InventoryServiceFacts['ports'], annotations: Record<string, string> = {}): InventoryServiceFacts => ({
  namespace,
  name,
  selector,
  ports,
  annotations,
});
const names = (facts: ServicePolicyFacts) => buildGardenerServicePolicies(facts).policies.map((p) => `${p.policy.metadata.namespace}/${p.policy.metadata.name}`);

describe('Gardener service-driven policies (resource-manager NetworkPolicy controller)', () => {
  it('derives ingress/egress per Service port within its namespace, labelled to-<svc>-<proto>-<targetPort>', () => {
    const facts: ServicePolicyFacts = {
      clusterKind: 'seed',
      namespaces: [ns('garden')],
      services: [svc('garden', 'prometheus', { app: 'prometheus' }, [{ name: 'web', port: 80, targetPort: 9090, protocol: 'TCP' }])],
    };
    const { policies, errors } = buildGardenerServicePolicies(facts);
    expect(errors).toEqual([]);
    expect(policies.map((p) => p.policy.metadata.name)).toEqual(['egress-to-prometheus-tcp-9090', 'ingress-to-prometheus-tcp-9090']);
    const ingress = policies.find((p) => p.policy.metadata.name === 'ingress-to-prometheus-tcp-9090')!.policy;
    expect(ingress.spec).toEqual({
      podSelector: { matchLabels: { app: 'prometheus' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { 'networking.resources.gardener.cloud/to-prometheus-tcp-9090': 'allowed' } } }], ports: [{ protocol: 'TCP', port: 9090 }] }],
      policyTypes: ['Ingress'],
    });
    expect(ingress.metadata.labels).toEqual({ 'networking.resources.gardener.cloud/service-name': 'prometheus', 'networking.resources.gardener.cloud/service-namespace': 'garden' });
    const egress = policies.find((p) => p.policy.metadata.name === 'egress-to-prometheus-tcp-9090')!.policy;
    expect(egress.spec.podSelector).toEqual({ matchLabels: { 'networking.resources.gardener.cloud/to-prometheus-tcp-9090': 'allowed' } });
    expect(egress.spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 9090 }] }]);
    for (const p of policies) expect(validate(p.policy)).toEqual([]);
  });

  it('targetPort defaults to port and a named targetPort stays a name', () => {
    const facts: ServicePolicyFacts = {
      clusterKind: 'seed',
      namespaces: [ns('garden')],
      services: [svc('garden', 'a', { app: 'a' }, [{ port: 8080 }, { port: 443, targetPort: 'https', protocol: 'TCP' }])],
    };
    expect(names(facts)).toEqual(['garden/egress-to-a-tcp-8080', 'garden/egress-to-a-tcp-https', 'garden/ingress-to-a-tcp-8080', 'garden/ingress-to-a-tcp-https']);
  });

  it('shoot namespace scrape target: from-all-scrape-targets-allowed-ports lets to-all-scrape-targets pods in, nobody else', () => {
    const facts: ServicePolicyFacts = {
      clusterKind: 'seed',
      namespaces: [ns('shoot--p--s')],
      services: [
        svc('shoot--p--s', 'machine-controller-manager', { role: 'mcm' }, [{ name: 'metrics', port: 10258, protocol: 'TCP' }], {
          'networking.resources.gardener.cloud/from-all-scrape-targets-allowed-ports': '[{"port":10258,"protocol":"TCP"}]',
        }),
      ],
    };
    const { policies } = buildGardenerServicePolicies(facts);
    expect(policies.map((p) => p.policy.metadata.name)).toEqual([
      'egress-to-machine-controller-manager-tcp-10258',
      'egress-to-machine-controller-manager-tcp-10258-via-all-scrape-targets',
      'ingress-to-machine-controller-manager-tcp-10258',
      'ingress-to-machine-controller-manager-tcp-10258-via-all-scrape-targets',
    ]);
    const via = policies.find((p) => p.policy.metadata.name === 'ingress-to-machine-controller-manager-tcp-10258-via-all-scrape-targets')!;
    expect(via.source).toEqual({ service: 'shoot--p--s/machine-controller-manager', namespace: 'shoot--p--s', reason: 'networking.resources.gardener.cloud/from-all-scrape-targets-allowed-ports' });

    const model: ClusterModel = {
      namespaces: [{ name: 'shoot--p--s' }],
      pods: [
        { namespace: 'shoot--p--s', name: 'mcm', labels: { role: 'mcm' }, ports: [{ containerPort: 10258 }] },
        { namespace: 'shoot--p--s', name: 'prometheus', labels: { 'networking.resources.gardener.cloud/to-all-scrape-targets': 'allowed' } },
        { namespace: 'shoot--p--s', name: 'other', labels: {} },
      ],
    };
    const pols = policies.map((p) => p.policy);
    expect(isAllowed(model, pols, { from: 'shoot--p--s/prometheus', to: 'shoot--p--s/mcm', port: 10258 }).allowed).toBe(true);
    expect(isAllowed(model, pols, { from: 'shoot--p--s/other', to: 'shoot--p--s/mcm', port: 10258 }).allowed).toBe(false);
  });

  it('seed scrape target in an extension namespace: namespace-selectors to garden with the alias "extensions"', () => {
    const facts: ServicePolicyFacts = {
      clusterKind: 'seed',
      namespaces: [ns('garden'), ns('extension-foo')],
      services: [
        svc('extension-foo', 'ext', { app: 'ext' }, [], {
          'networking.resources.gardener.cloud/from-all-seed-scrape-targets-allowed-ports': '[{"port":8080,"protocol":"TCP"}]',
          'networking.resources.gardener.cloud/namespace-selectors': '[{"matchLabels":{"kubernetes.io/metadata.name":"garden"}}]',
          'networking.resources.gardener.cloud/pod-label-selector-namespace-alias': 'extensions',
        }),
      ],
    };
    const { policies } = buildGardenerServicePolicies(facts);
    expect(policies.map((p) => `${p.policy.metadata.namespace}/${p.policy.metadata.name}`)).toEqual([
      'extension-foo/egress-to-ext-tcp-8080-via-all-seed-scrape-targets',
      'extension-foo/ingress-to-ext-tcp-8080-via-all-seed-scrape-targets',
      'extension-foo/ingress-to-ext-tcp-8080-via-all-seed-scrape-targets-from-garden',
      'garden/egress-to-extension-foo-ext-tcp-8080-via-all-seed-scrape-targets',
    ]);
    const cross = policies.find((p) => p.policy.metadata.name === 'ingress-to-ext-tcp-8080-via-all-seed-scrape-targets-from-garden')!.policy;
    expect(cross.spec.ingress?.[0]?.from).toEqual([
      {
        podSelector: { matchLabels: { 'networking.resources.gardener.cloud/to-extensions-all-seed-scrape-targets': 'allowed' } },
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'garden' } },
      },
    ]);
    const egress = policies.find((p) => p.policy.metadata.name === 'egress-to-extension-foo-ext-tcp-8080-via-all-seed-scrape-targets')!.policy;
    expect(egress.spec.egress?.[0]?.to).toEqual([{ podSelector: { matchLabels: { app: 'ext' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'extension-foo' } } }]);
    const model: ClusterModel = {
      namespaces: [{ name: 'garden' }, { name: 'extension-foo' }],
      pods: [
        { namespace: 'extension-foo', name: 'ext', labels: { app: 'ext' }, ports: [{ containerPort: 8080 }] },
        { namespace: 'garden', name: 'prom', labels: { 'networking.resources.gardener.cloud/to-extensions-all-seed-scrape-targets': 'allowed' } },
        { namespace: 'garden', name: 'plain' },
      ],
    };
    const pols = policies.map((p) => p.policy);
    expect(isAllowed(model, pols, { from: 'garden/prom', to: 'extension-foo/ext', port: 8080 }).allowed).toBe(true);
    expect(isAllowed(model, pols, { from: 'garden/plain', to: 'extension-foo/ext', port: 8080 }).allowed).toBe(false);
  });

  it('webhook servers for shoot kube-apiservers: shoot namespaces selected by gardener.cloud/role=shoot', () => {
    const facts: ServicePolicyFacts = {
      clusterKind: 'seed',
      namespaces: [ns('extension-a'), ns('shoot--p--one', { 'gardener.cloud/role': 'shoot' }), ns('shoot--p--two', { 'gardener.cloud/role': 'shoot' })],
      services: [
        svc('extension-a', 'webhook', { app: 'webhook' }, [{ port: 443, targetPort: 10250, protocol: 'TCP' }], {
          'networking.resources.gardener.cloud/from-all-webhook-targets-allowed-ports': '[{"port":10250,"protocol":"TCP"}]',
          'networking.resources.gardener.cloud/pod-label-selector-namespace-alias': 'extensions',
          'networking.resources.gardener.cloud/namespace-selectors': '[{"matchLabels":{"gardener.cloud/role":"shoot"}}]',
        }),
      ],
    };
    const all = names(facts);
    expect(all).toContain('extension-a/ingress-to-webhook-tcp-10250-via-all-webhook-targets-from-shoot--p--one');
    expect(all).toContain('shoot--p--two/egress-to-extension-a-webhook-tcp-10250-via-all-webhook-targets');
    expect(all).toContain('shoot--p--one/egress-to-extension-a-webhook-tcp-10250');
    const { policies } = buildGardenerServicePolicies(facts);
    const egress = policies.find((p) => p.policy.metadata.name === 'egress-to-extension-a-webhook-tcp-10250-via-all-webhook-targets' && p.policy.metadata.namespace === 'shoot--p--one')!;
    expect(egress.policy.spec.podSelector).toEqual({ matchLabels: { 'networking.resources.gardener.cloud/to-extensions-all-webhook-targets': 'allowed' } });
  });

  it('access-target-apiserver namespaces: pods labelled to-all-shoots-kube-apiserver-tcp-443 reach the kube-apiservers', () => {
    const facts: ServicePolicyFacts = {
      clusterKind: 'seed',
      namespaces: [ns('shoot--p--s', { 'gardener.cloud/role': 'shoot' }), ns('custom', { 'networking.gardener.cloud/access-target-apiserver': 'allowed' }), ns('other')],
      services: [
        svc('shoot--p--s', 'kube-apiserver', { app: 'kubernetes', role: 'apiserver' }, [{ name: 'kube-apiserver', port: 443, targetPort: 443, protocol: 'TCP' }], {
          'networking.resources.gardener.cloud/namespace-selectors': '[{"matchLabels":{"networking.gardener.cloud/access-target-apiserver":"allowed"}}]',
          'networking.resources.gardener.cloud/pod-label-selector-namespace-alias': 'all-shoots',
        }),
      ],
    };
    const { policies } = buildGardenerServicePolicies(facts);
    expect(policies.map((p) => `${p.policy.metadata.namespace}/${p.policy.metadata.name}`)).toEqual([
      'custom/egress-to-shoot--p--s-kube-apiserver-tcp-443',
      'shoot--p--s/egress-to-kube-apiserver-tcp-443',
      'shoot--p--s/ingress-to-kube-apiserver-tcp-443',
      'shoot--p--s/ingress-to-kube-apiserver-tcp-443-from-custom',
    ]);
    const model: ClusterModel = {
      namespaces: facts.namespaces.map((n) => ({ name: n.name, labels: { ...n.labels } })),
      pods: [
        { namespace: 'shoot--p--s', name: 'kas', labels: { app: 'kubernetes', role: 'apiserver' }, ports: [{ containerPort: 443 }] },
        { namespace: 'custom', name: 'ctrl', labels: { 'networking.resources.gardener.cloud/to-all-shoots-kube-apiserver-tcp-443': 'allowed' } },
        { namespace: 'custom', name: 'plain' },
        { namespace: 'other', name: 'labelled', labels: { 'networking.resources.gardener.cloud/to-all-shoots-kube-apiserver-tcp-443': 'allowed' } },
      ],
    };
    const pols = policies.map((p) => p.policy);
    expect(isAllowed(model, pols, { from: 'custom/ctrl', to: 'shoot--p--s/kas', port: 443 }).allowed).toBe(true);
    expect(isAllowed(model, pols, { from: 'custom/plain', to: 'shoot--p--s/kas', port: 443 }).allowed).toBe(false);
    expect(isAllowed(model, pols, { from: 'other/labelled', to: 'shoot--p--s/kas', port: 443 }).allowed).toBe(false);
  });

  it('shortens label names over 63 characters as Gardener does (57 + "-" + 5 hex digits of SHA-256)', () => {
    expect(shortenLabelName('to-virtual-garden-istio-ingress-istio-ingressgateway-internal-tcp-9443')).toBe('to-virtual-garden-istio-ingress-istio-ingressgateway-inte-02e09');
    expect(shortenLabelName('to-short')).toBe('to-short');
    const facts: ServicePolicyFacts = {
      clusterKind: 'garden',
      namespaces: [ns('virtual-garden-istio-ingress'), ns('garden')],
      services: [
        svc('virtual-garden-istio-ingress', 'istio-ingressgateway-internal', { app: 'istio' }, [{ port: 9443, protocol: 'TCP' }], {
          'networking.resources.gardener.cloud/namespace-selectors': '[{"matchLabels":{"kubernetes.io/metadata.name":"garden"}}]',
        }),
      ],
    };
    const { policies } = buildGardenerServicePolicies(facts);
    const egress = policies.find((p) => p.policy.metadata.namespace === 'garden')!;
    expect(egress.policy.spec.podSelector.matchLabels).toEqual({ [toLabelKey('istio-ingressgateway-internal-tcp-9443', 'virtual-garden-istio-ingress-')]: 'allowed' });
    expect(Object.keys(egress.policy.spec.podSelector.matchLabels!)).toEqual(['networking.resources.gardener.cloud/to-virtual-garden-istio-ingress-istio-ingressgateway-inte-02e09']);
  });

  it('from-world-to-ports opens the Service pods to everyone on those ports', () => {
    const facts: ServicePolicyFacts = {
      clusterKind: 'seed',
      namespaces: [ns('istio-ingress')],
      services: [svc('istio-ingress', 'gw', { app: 'gw' }, [], { 'networking.resources.gardener.cloud/from-world-to-ports': '[{"port":8443,"protocol":"TCP"}]' })],
    };
    const { policies } = buildGardenerServicePolicies(facts);
    expect(policies.map((p) => p.policy.metadata.name)).toEqual(['ingress-to-gw-from-world']);
    expect(policies[0]!.policy.spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 8443 }] }]);
  });

  it('ignores Services without a selector and namespaces the controller does not handle', () => {
    const facts: ServicePolicyFacts = {
      clusterKind: 'seed',
      namespaces: [ns('garden'), ns('default')],
      services: [svc('default', 'a', { app: 'a' }, [{ port: 80 }]), { namespace: 'garden', name: 'ext', selector: null, ports: [{ port: 80 }], annotations: {} }],
    };
    expect(names(facts)).toEqual([]);
  });

  it('reports a malformed annotation with the exact reason and derives nothing for that Service only', () => {
    const scrape = 'networking.resources.gardener.cloud/from-all-scrape-targets-allowed-ports';
    const facts: ServicePolicyFacts = {
      clusterKind: 'seed',
      namespaces: [ns('garden')],
      services: [
        svc('garden', 'bad-json', { app: 'a' }, [{ port: 80 }], { [scrape]: '[{"port":80,' }),
        svc('garden', 'bad-port', { app: 'b' }, [{ port: 80 }], { [scrape]: '[{"port":70000,"protocol":"TCP"}]' }),
        svc('garden', 'bad-proto', { app: 'c' }, [{ port: 80 }], { [scrape]: '[{"port":80,"protocol":"ICMP"}]' }),
        svc('garden', 'bad-selectors', { app: 'd' }, [{ port: 80 }], { 'networking.resources.gardener.cloud/namespace-selectors': '{"matchLabels":{}}' }),
        svc('garden', 'good', { app: 'e' }, [{ port: 80 }], { [scrape]: '[{"port":80,"protocol":"TCP"}]' }),
      ],
    };
    const { policies, errors } = buildGardenerServicePolicies(facts);
    expect(errors.map((e) => e.service)).toEqual(['garden/bad-json', 'garden/bad-port', 'garden/bad-proto', 'garden/bad-selectors']);
    expect(errors[0]!.annotation).toBe(scrape);
    expect(errors[0]!.message).toMatch(/^invalid JSON: /);
    expect(errors[1]!.message).toBe('[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive');
    expect(errors[2]!.message).toBe('[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"');
    expect(errors[3]!.annotation).toBe('networking.resources.gardener.cloud/namespace-selectors');
    expect(new Set(policies.map((p) => p.source.service))).toEqual(new Set(['garden/good']));
  });

  it('in a shoot, derives the reduced allow-from-seed for custom namespaces serving webhooks', () => {
    const facts: ServicePolicyFacts = {
      clusterKind: 'shoot',
      namespaces: [ns('kube-system'), ns('custom'), ns('apps')],
      services: [
        svc('custom', 'hook', { app: 'hook' }, [{ port: 443 }], { 'networking.resources.gardener.cloud/from-all-webhook-targets-allowed-ports': '[{"port":9443,"protocol":"TCP"}]' }),
        svc('kube-system', 'sys', { app: 'sys' }, [{ port: 443 }], { 'networking.resources.gardener.cloud/from-all-webhook-targets-allowed-ports': '[{"port":9443,"protocol":"TCP"}]' }),
        svc('apps', 'web', { app: 'web' }, [{ port: 80 }]),
      ],
    };
    const { policies } = buildGardenerServicePolicies(facts);
    expect(policies.map((p) => `${p.policy.metadata.namespace}/${p.policy.metadata.name}`)).toEqual(['custom/allow-from-seed']);
    expect(policies[0]!.policy.spec).toEqual({
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'gardener.cloud/purpose': 'kube-system' } }, podSelector: { matchLabels: { app: 'vpn-shoot' } } }] }],
      policyTypes: ['Ingress'],
    });
  });

  it('is deterministic whatever the input order', () => {
    const services = [
      svc('garden', 'b', { app: 'b' }, [{ port: 81 }]),
      svc('garden', 'a', { app: 'a' }, [{ port: 80 }]),
    ];
    const a = buildGardenerServicePolicies({ clusterKind: 'seed', namespaces: [ns('garden')], services });
    const b = buildGardenerServicePolicies({ clusterKind: 'seed', namespaces: [ns('garden')], services: [...services].reverse() });
    expect(a).toEqual(b);
  });
});
