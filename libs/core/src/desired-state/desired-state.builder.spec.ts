import { describe, expect, it } from 'vitest';
import { builtInPacks, parseSelector, validate } from '@fleetgate/netpol';
import {
  type BindingFacts,
  type ClusterFacts,
  BINDING_LABEL,
  CLUSTER_LABEL,
  TEMPLATE_LABEL,
  buildDesiredState,
  planChanges,
} from './desired-state.builder.js';
import { packTemplateBody } from '../policy-templates/built-in-catalog.js';

const seed: ClusterFacts = {
  id: 's1',
  name: 'europe-west',
  role: 'seed',
  labels: { provider: 'aws' },
  networks: { pods: '10.244.0.0/16', services: '10.96.0.0/12', nodes: '10.250.0.0/16' },
  blockedCIDRs: ['169.254.169.254/32'],
  controlPlaneNamespace: null,
  seed: null,
  gates: {},
};

const user = (name: string, gates: Record<string, boolean>, labels: Record<string, string> = {}): ClusterFacts => ({
  id: `id-${name}`,
  name,
  role: 'user',
  labels,
  networks: { pods: '172.25.0.0/16', services: '10.240.16.0/20', nodes: null },
  blockedCIDRs: [],
  controlPlaneNamespace: `cluster-${name}`,
  seed: { id: seed.id, name: seed.name, networks: seed.networks, blockedCIDRs: seed.blockedCIDRs },
  gates,
});

const kkp = builtInPacks['kkp-apiserver'];
const kkpBinding: BindingFacts = {
  id: 'b1',
  name: 'kkp-apiserver',
  template: { id: 't1', name: 'kkp-apiserver', description: kkp.description },
  version: { id: 'v1', version: 1, body: packTemplateBody(kkp), parameters: kkp.parameters },
  clusterSelector: [],
  clusterRole: 'user',
  placement: { kind: 'controlPlaneNamespace' },
  gate: 'apiserverNetworkPolicy',
  parameters: {},
  driftMode: 'enforce',
};

const general = builtInPacks['gardener-general'];
const gardenerBinding: BindingFacts = {
  id: 'b2',
  name: 'gardener-general',
  template: { id: 't2', name: 'gardener-general', description: general.description },
  version: { id: 'v2', version: 1, body: packTemplateBody(general), parameters: general.parameters },
  clusterSelector: [],
  clusterRole: 'seed',
  placement: { kind: 'namespaces', names: ['garden', 'istio-system'], globs: ['shoot-*', 'istio-ingress-*'], selectors: [] },
  gate: null,
  parameters: {},
  driftMode: 'inform',
};

describe('buildDesiredState', () => {
  it('puts the KKP apiserver policies into the control-plane namespace on the seed, only while the gate is on', () => {
    const on = buildDesiredState(user('u1', { apiserverNetworkPolicy: true }), [kkpBinding]);
    expect(on.errors).toEqual([]);
    expect(on.policies.map((p) => p.name)).toEqual([
      'apiserver-allow-dns-resolver',
      'apiserver-allow-etcd',
      'apiserver-allow-machine-controller-webhook',
      'apiserver-allow-metrics-server',
      'apiserver-allow-openvpn-server',
      'apiserver-deny-all-egress',
    ]);
    for (const p of on.policies) {
      expect(p.target).toEqual({ cluster: 'europe-west', namespace: 'cluster-u1', namespaceRule: null });
      expect(p.policy.metadata?.namespace).toBe('cluster-u1');
      expect(p.policy.metadata?.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'fleetgate',
        [BINDING_LABEL]: 'kkp-apiserver',
        [TEMPLATE_LABEL]: 'kkp-apiserver',
        [CLUSTER_LABEL]: 'u1',
      });
      expect(p.policy.metadata?.annotations?.['fleetgate.io/description']).toBeTruthy();
      expect(p.origin).toMatchObject({ binding: 'kkp-apiserver', template: 'kkp-apiserver', version: 1, gate: 'apiserverNetworkPolicy' });
      expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(validate(p.policy)).toEqual([]);
    }
    expect(buildDesiredState(user('u1', { apiserverNetworkPolicy: false }), [kkpBinding]).policies).toEqual([]);
    expect(buildDesiredState(user('u1', {}), [kkpBinding]).policies).toEqual([]);
    // a seed is not selected by a user-cluster binding
    expect(buildDesiredState({ ...seed, gates: { apiserverNetworkPolicy: true } }, [kkpBinding]).policies).toEqual([]);
  });

  it('is deterministic: same facts, same names, bodies and hashes; different clusters, different namespaces', () => {
    const a = buildDesiredState(user('u1', { apiserverNetworkPolicy: true }), [kkpBinding]);
    const b = buildDesiredState(user('u1', { apiserverNetworkPolicy: true }), [kkpBinding]);
    expect(b).toEqual(a);
    const c = buildDesiredState(user('u2', { apiserverNetworkPolicy: true }), [kkpBinding]);
    expect(c.policies[0]?.target.namespace).toBe('cluster-u2');
    expect(c.policies[0]?.hash).not.toBe(a.policies[0]?.hash);
  });

  it('matches bindings by cluster label selector and role', () => {
    const onlyProd = { ...kkpBinding, clusterSelector: parseSelector('env in (prod)') };
    expect(buildDesiredState(user('u1', { apiserverNetworkPolicy: true }, { env: 'dev' }), [onlyProd]).policies).toHaveLength(0);
    expect(buildDesiredState(user('u1', { apiserverNetworkPolicy: true }, { env: 'prod' }), [onlyProd]).policies).toHaveLength(6);
  });

  it('uses the parameter values of the binding', () => {
    const custom = { ...kkpBinding, parameters: { apiserverLabels: { component: 'kube-apiserver' } } };
    const state = buildDesiredState(user('u1', { apiserverNetworkPolicy: true }), [custom]);
    expect(state.policies[0]?.policy.spec.podSelector).toEqual({ matchLabels: { component: 'kube-apiserver' } });
  });

  it('shows Gardener globs as a namespace rule and names as namespaces; resolves the rule when namespaces are known', () => {
    const state = buildDesiredState(seed, [gardenerBinding]);
    expect(state.errors).toEqual([]);
    const targets = [...new Set(state.policies.map((p) => JSON.stringify(p.target)))].map((t) => JSON.parse(t) as unknown);
    expect(targets).toEqual([
      { cluster: 'europe-west', namespace: 'garden', namespaceRule: null },
      { cluster: 'europe-west', namespace: 'istio-system', namespaceRule: null },
      { cluster: 'europe-west', namespace: null, namespaceRule: { globs: ['istio-ingress-*', 'shoot-*'], selectors: [] } },
    ]);
    const rule = state.policies.find((p) => p.target.namespaceRule !== null && p.name === 'deny-all');
    expect(rule?.policy.metadata?.namespace).toBeUndefined();
    expect(rule?.driftMode).toBe('inform');
    const blocked = state.policies.find((p) => p.target.namespace === 'garden' && p.name === 'allow-to-blocked-cidrs');
    expect(blocked?.policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }] }]);

    const resolved = buildDesiredState(seed, [gardenerBinding], {
      namespaces: { 'europe-west': [{ name: 'garden' }, { name: 'shoot--dev--a' }, { name: 'kube-system' }, { name: 'istio-ingress-x' }] },
    });
    expect([...new Set(resolved.policies.map((p) => p.target.namespace))]).toEqual(['garden', 'istio-ingress-x', 'shoot--dev--a']);
    expect(resolved.policies.every((p) => p.target.namespaceRule === null)).toBe(true);
  });

  it('namespace label selectors become part of the rule and match labels when resolved', () => {
    const bySelector: BindingFacts = {
      ...gardenerBinding,
      placement: { kind: 'namespaces', selectors: [{ matchLabels: { 'gardener.cloud/role': 'extension' } }] },
    };
    const state = buildDesiredState(seed, [bySelector]);
    expect(state.policies[0]?.target.namespaceRule).toEqual({ globs: [], selectors: [{ matchLabels: { 'gardener.cloud/role': 'extension' } }] });
    const resolved = buildDesiredState(seed, [bySelector], {
      namespaces: { 'europe-west': [{ name: 'ext-a', labels: { 'gardener.cloud/role': 'extension' } }, { name: 'other' }] },
    });
    expect([...new Set(resolved.policies.map((p) => p.target.namespace))]).toEqual(['ext-a']);
  });

  it('reports a name clash between two bindings on the same target instead of merging', () => {
    const twin = { ...kkpBinding, id: 'b9', name: 'kkp-apiserver-twin', parameters: { apiserverLabels: { app: 'other' } } };
    const state = buildDesiredState(user('u1', { apiserverNetworkPolicy: true }), [kkpBinding, twin]);
    expect(state.policies).toEqual([]);
    expect(state.conflicts).toHaveLength(6);
    expect(state.conflicts[0]).toMatchObject({ target: { cluster: 'europe-west', namespace: 'cluster-u1' }, bindings: ['kkp-apiserver', 'kkp-apiserver-twin'] });
  });

  it('reports render errors per binding (a parameter of the wrong type) and keeps the other bindings', () => {
    const bad = { ...kkpBinding, name: 'bad', parameters: { apiserverLabels: 'app=apiserver' } };
    const other = { ...gardenerBinding, clusterRole: null, placement: { kind: 'namespaces' as const, names: ['kube-system'] } };
    const state = buildDesiredState(user('u1', { apiserverNetworkPolicy: true }), [bad, other]);
    expect(state.errors[0]).toMatchObject({ binding: 'bad', field: 'params.apiserverLabels' });
    expect(state.policies.length).toBeGreaterThan(0);
    expect(state.policies.every((p) => p.origin.binding === 'gardener-general')).toBe(true);
  });
});

describe('planChanges', () => {
  it('creates, updates and deletes by key and hash', () => {
    const desired = buildDesiredState(user('u1', { apiserverNetworkPolicy: true }), [kkpBinding]).policies;
    const [first, second, ...rest] = desired;
    const assigned = [
      { ...second!, hash: 'old' },
      ...rest,
      { key: 'europe-west/cluster-u1/gone', target: first!.target, name: 'gone', hash: 'x', origin: first!.origin },
    ];
    const plan = planChanges(desired, assigned);
    expect(plan.unchanged).toBe(rest.length);
    expect(plan.steps.map((s) => [s.action, s.name])).toEqual([
      ['create', first!.name],
      ['update', second!.name],
      ['delete', 'gone'],
    ]);
  });

  it('matches a rule entry with the namespaces the applier resolved it into', () => {
    const apiMode = buildDesiredState(seed, [gardenerBinding]).policies;
    const applied = buildDesiredState(seed, [gardenerBinding], { namespaces: { 'europe-west': [{ name: 'garden' }, { name: 'istio-system' }, { name: 'shoot--a' }, { name: 'shoot--b' }] } }).policies;
    const assigned = applied.map((p) => ({ ...p, policy: p.policy }));
    expect(planChanges(apiMode, assigned)).toEqual({ steps: [], unchanged: applied.length });
    // a changed parameter changes every instance of the rule: updates, not deletes and creates
    const changed = buildDesiredState(seed, [{ ...gardenerBinding, parameters: { runtimeApiserverPort: 6443 } }]).policies;
    const plan = planChanges(changed, assigned);
    expect(plan.steps.map((s) => [s.action, s.target.namespace, s.name])).toEqual([
      ['update', 'garden', 'allow-to-runtime-apiserver'],
      ['update', 'istio-system', 'allow-to-runtime-apiserver'],
      ['update', 'shoot--a', 'allow-to-runtime-apiserver'],
      ['update', 'shoot--b', 'allow-to-runtime-apiserver'],
    ]);
    // nothing applied yet: the rule is one create per policy
    expect(planChanges(apiMode, []).steps.filter((s) => s.target.namespaceRule !== null && s.action === 'create')).toHaveLength(6);
    // the binding dropped: every instance is deleted
    expect(planChanges([], assigned).steps.every((s) => s.action === 'delete')).toBe(true);
  });
});

describe('rendering a template without expressions once', () => {
  const constant: BindingFacts = {
    ...kkpBinding,
    id: 'b9',
    name: 'plain',
    template: { id: 't9', name: 'plain', description: 'plain' },
    version: { id: 'v9', version: 1, body: [{ metadata: { name: 'deny-all' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } }], parameters: [] },
    placement: { kind: 'namespaces', names: ['app'], globs: [], selectors: [] },
    gate: null,
  };
  const withExpression: BindingFacts = {
    ...constant,
    id: 'b10',
    name: 'per-cluster',
    version: { ...constant.version, id: 'v10', body: [{ metadata: { name: 'from-${cluster.name}' }, spec: { podSelector: {} } }] },
  };

  it('gives every cluster the same objects as rendering each time would, as its own copy', () => {
    const [a, b] = [buildDesiredState(user('a', {}), [constant]), buildDesiredState(user('b', {}), [constant])];
    expect(a.policies.map((p) => p.policy.spec)).toEqual(b.policies.map((p) => p.policy.spec));
    expect(a.policies[0]?.policy.metadata).toMatchObject({ name: 'deny-all', namespace: 'app' });
    expect(a.policies[0]?.policy.spec).not.toBe(b.policies[0]?.policy.spec);
    (a.policies[0]?.policy.spec?.policyTypes as string[]).push('Egress');
    expect(buildDesiredState(user('c', {}), [constant]).policies[0]?.policy.spec?.policyTypes).toEqual(['Ingress']);
  });

  it('still renders a template with expressions per cluster', () => {
    expect(buildDesiredState(user('a', {}), [withExpression]).policies.map((p) => p.name)).toEqual(['from-a']);
    expect(buildDesiredState(user('b', {}), [withExpression]).policies.map((p) => p.name)).toEqual(['from-b']);
  });
});
