import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults/network-policy.defaults.js';
import { labels as labelsArb, networkPolicy, selector } from '../testing/arbitraries.js';
import type { NetworkPolicy } from '../types/network-policy.js';
import { compileModel } from './compile-model.js';
import { checkReachability, defaultQueries, evaluateQueries, isAllowed } from './evaluate-queries.js';
import { diff } from './reachability-diff.js';
import { KUBERNETES_DOCS_EXAMPLE_POLICY as docExample } from '../examples/kubernetes-docs.js';
import { computeMatrix, matrixAllows, reachabilityMatrix } from './reachability-matrix.js';
import { ReachabilityInputError, type ClusterModel, type PodModel } from './reachability.types.js';

const pod = (ref: string, labels: Record<string, string>, ip: string, ports: PodModel['ports'] = []): PodModel => {
  const [namespace, name] = ref.split('/') as [string, string];
  return { namespace, name, labels, ip, ports };
};

/** The cluster of the Kubernetes page's example (seed 002). */
const docModel: ClusterModel = {
  namespaces: [{ name: 'default' }, { name: 'myproject-ns', labels: { project: 'myproject' } }, { name: 'other' }],
  pods: [
    pod('default/db', { role: 'db' }, '10.0.1.10', [{ containerPort: 6379, name: 'redis' }]),
    pod('default/frontend', { role: 'frontend' }, '10.0.1.11'),
    pod('default/backend', { role: 'backend' }, '10.0.1.12', [{ containerPort: 8080, name: 'http' }]),
    pod('myproject-ns/app', { app: 'x' }, '10.0.2.10'),
    pod('other/frontend', { role: 'frontend' }, '10.0.3.10'),
    pod('other/target', {}, '10.0.0.50', [{ containerPort: 5978 }]),
  ],
};


const allowed = (model: ClusterModel, policies: NetworkPolicy[], from: string, to: string, port: number | string, protocol?: 'TCP' | 'UDP' | 'SCTP') =>
  isAllowed(model, policies, { from, to, port, ...(protocol ? { protocol } : {}) }).allowed;

describe('reachability: the Kubernetes documentation example', () => {
  const p = [docExample];
  it('isolates role=db pods for ingress and egress', () => {
    const r = isAllowed(docModel, p, { from: 'default/backend', to: 'default/db', port: 6379 });
    expect(r.allowed).toBe(false);
    expect(r.explanation.ingress).toMatchObject({ isolated: true, isolatedBy: ['default/test-network-policy'], allowedBy: [] });
    expect(allowed(docModel, p, 'default/db', 'default/backend', 8080)).toBe(false);
  });

  it('allows TCP 6379 from role=frontend in the same namespace, from namespaces labelled project=myproject and from 172.17.0.0/16 except 172.17.1.0/24', () => {
    expect(allowed(docModel, p, 'default/frontend', 'default/db', 6379)).toBe(true);
    expect(allowed(docModel, p, 'myproject-ns/app', 'default/db', 6379)).toBe(true);
    expect(allowed(docModel, p, 'other/frontend', 'default/db', 6379)).toBe(false);
    expect(allowed(docModel, p, '172.17.0.5', 'default/db', 6379)).toBe(true);
    expect(allowed(docModel, p, '172.17.2.5', 'default/db', 6379)).toBe(true);
    expect(allowed(docModel, p, '172.17.1.5', 'default/db', 6379)).toBe(false);
    expect(allowed(docModel, p, '172.18.0.1', 'default/db', 6379)).toBe(false);
    expect(allowed(docModel, p, 'default/frontend', 'default/db', 6380)).toBe(false);
    expect(allowed(docModel, p, 'default/frontend', 'default/db', 6379, 'UDP')).toBe(false);
  });

  it('explains which rule allowed it', () => {
    const r = isAllowed(docModel, p, { from: 'default/frontend', to: 'default/db', port: 6379 });
    expect(r.explanation.ingress.allowedBy).toEqual([{ policy: 'default/test-network-policy', direction: 'ingress', rule: 0 }]);
    expect(r.explanation.egress).toMatchObject({ enforced: true, isolated: false, allowed: true });
    expect(r.explanation.summary).toBe(
      'allowed: egress from default/frontend: not isolated (no Egress policy selects it); ingress to default/db: allowed by default/test-network-policy ingress[0]',
    );
  });

  it('allows egress from role=db to 10.0.0.0/24 on TCP 5978 only', () => {
    expect(allowed(docModel, p, 'default/db', 'other/target', 5978)).toBe(true);
    expect(allowed(docModel, p, 'default/db', '10.0.0.99', 5978)).toBe(true);
    expect(allowed(docModel, p, 'default/db', '10.0.1.99', 5978)).toBe(false);
    expect(allowed(docModel, p, 'default/db', '10.0.0.99', 5979)).toBe(false);
    const r = isAllowed(docModel, p, { from: 'default/db', to: '8.8.8.8', port: 53, protocol: 'UDP' });
    expect(r.explanation.summary).toBe(
      'denied: egress from default/db: isolated by default/test-network-policy and no rule allows it; ingress to 8.8.8.8: not a pod, no policy applies',
    );
  });

  it('leaves pods no policy selects open', () => {
    expect(allowed(docModel, p, 'other/frontend', 'default/backend', 8080)).toBe(true);
  });
});

describe('reachability: namespaceSelector AND podSelector (both YAML forms of the page)', () => {
  const model: ClusterModel = {
    namespaces: [{ name: 'app' }, { name: 'alice', labels: { user: 'alice' } }, { name: 'bob' }],
    pods: [
      pod('app/server', { app: 'server' }, '10.1.0.1', [{ containerPort: 80 }]),
      pod('app/client', { role: 'client' }, '10.1.0.2'),
      pod('alice/client', { role: 'client' }, '10.1.1.1'),
      pod('alice/other', { role: 'other' }, '10.1.1.2'),
      pod('bob/client', { role: 'client' }, '10.1.2.1'),
    ],
  };
  const withFrom = (from: object[]): NetworkPolicy => ({
    metadata: { name: 'p', namespace: 'app' },
    spec: { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from }] },
  });
  const one = withFrom([{ namespaceSelector: { matchLabels: { user: 'alice' } }, podSelector: { matchLabels: { role: 'client' } } }]);
  const two = withFrom([{ namespaceSelector: { matchLabels: { user: 'alice' } } }, { podSelector: { matchLabels: { role: 'client' } } }]);

  it.each([
    ['alice/client', true, true],
    ['alice/other', false, true],
    ['app/client', false, true],
    ['bob/client', false, false],
  ])('%s → server: one element %s, two elements %s', (from, inOne, inTwo) => {
    expect(allowed(model, [one], from, 'app/server', 80)).toBe(inOne);
    expect(allowed(model, [two], from, 'app/server', 80)).toBe(inTwo);
  });

  it('matches namespaces by kubernetes.io/metadata.name', () => {
    const p = withFrom([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'bob' } } }]);
    expect(allowed(model, [p], 'bob/client', 'app/server', 80)).toBe(true);
    expect(allowed(model, [p], 'alice/client', 'app/server', 80)).toBe(false);
  });
});

describe('reachability: default policies of the page', () => {
  const model: ClusterModel = {
    namespaces: [{ name: 'default' }, { name: 'ext' }],
    pods: [pod('default/a', {}, '10.2.0.1', [{ containerPort: 80 }]), pod('default/b', {}, '10.2.0.2', [{ containerPort: 80 }]), pod('ext/c', {}, '10.2.1.1', [{ containerPort: 80 }])],
  };
  const policy = (name: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({ metadata: { name, namespace: 'default' }, spec });
  const denyIngress = policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
  const allowIngress = policy('allow-all-ingress', { podSelector: {}, ingress: [{}], policyTypes: ['Ingress'] });
  const denyEgress = policy('default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
  const allowEgress = policy('allow-all-egress', { podSelector: {}, egress: [{}], policyTypes: ['Egress'] });
  const denyAll = policy('default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

  it.each<[string, NetworkPolicy[], [string, string, boolean][]]>([
    ['nothing', [], [['ext/c', 'default/a', true], ['default/a', 'ext/c', true]]],
    ['deny ingress', [denyIngress], [['ext/c', 'default/a', false], ['default/b', 'default/a', false], ['default/a', 'ext/c', true], ['1.2.3.4', 'default/a', false]]],
    ['deny + allow-all ingress', [denyIngress, allowIngress], [['ext/c', 'default/a', true], ['1.2.3.4', 'default/a', true]]],
    ['deny egress', [denyEgress], [['default/a', 'ext/c', false], ['default/a', '8.8.8.8', false], ['ext/c', 'default/a', true]]],
    ['deny + allow-all egress', [denyEgress, allowEgress], [['default/a', 'ext/c', true], ['default/a', '8.8.8.8', true]]],
    ['deny all', [denyAll], [['default/a', 'default/b', false], ['ext/c', 'default/a', false], ['default/a', 'ext/c', false], ['ext/c', 'ext/c', true]]],
  ])('%s', (_name, policies, cases) => {
    for (const [from, to, expected] of cases) expect([from, to, allowed(model, policies, from, to, 80)]).toEqual([from, to, expected]);
  });
});

describe('reachability: ports', () => {
  const model: ClusterModel = {
    namespaces: [{ name: 'n' }],
    pods: [
      pod('n/web', { app: 'web' }, '10.3.0.1', [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }, { containerPort: 53, name: 'dns', protocol: 'UDP' }]),
      pod('n/web2', { app: 'web' }, '10.3.0.2', [{ containerPort: 8081, name: 'http' }]),
      pod('n/client', { app: 'client' }, '10.3.0.3'),
    ],
  };
  const ingress = (ports: object[]): NetworkPolicy => ({ metadata: { name: 'p', namespace: 'n' }, spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports }] } });

  it('resolves named ports on the destination pod', () => {
    const p = [ingress([{ port: 'http' }])];
    expect(allowed(model, p, 'n/client', 'n/web', 8080)).toBe(true);
    expect(allowed(model, p, 'n/client', 'n/web', 8081)).toBe(false);
    expect(allowed(model, p, 'n/client', 'n/web2', 8081)).toBe(true);
    expect(allowed(model, p, 'n/client', 'n/web', 'http')).toBe(true);
    expect(allowed(model, p, 'n/client', 'n/web', 9090)).toBe(false);
  });

  it('matches a named port only with its protocol', () => {
    expect(allowed(model, [ingress([{ port: 'dns', protocol: 'UDP' }])], 'n/client', 'n/web', 53, 'UDP')).toBe(true);
    expect(allowed(model, [ingress([{ port: 'dns' }])], 'n/client', 'n/web', 53, 'UDP')).toBe(false);
  });

  it('honours endPort ranges', () => {
    const p = [ingress([{ port: 8000, endPort: 8080 }])];
    expect(allowed(model, p, 'n/client', 'n/web', 8000)).toBe(true);
    expect(allowed(model, p, 'n/client', 'n/web', 8080)).toBe(true);
    expect(allowed(model, p, 'n/client', 'n/web', 8081)).toBe(false);
    expect(allowed(model, p, 'n/client', 'n/web', 7999)).toBe(false);
  });

  it('keeps TCP, UDP and SCTP apart; an omitted port means every port of the protocol', () => {
    const p = [ingress([{ protocol: 'SCTP' }])];
    expect(allowed(model, p, 'n/client', 'n/web', 1234, 'SCTP')).toBe(true);
    expect(allowed(model, p, 'n/client', 'n/web', 1234, 'TCP')).toBe(false);
    expect(allowed(model, p, 'n/client', 'n/web', 1234, 'UDP')).toBe(false);
    expect(allowed(model, [ingress([{ port: 80 }])], 'n/client', 'n/web', 80, 'UDP')).toBe(false);
  });

  it('answers an undeclared port name with a denial that says so', () => {
    const r = isAllowed(model, [], { from: 'n/client', to: 'n/web', port: 'grpc' });
    expect(r).toMatchObject({ allowed: false });
    expect(r.explanation.summary).toBe('denied: port "grpc"/TCP is not declared on n/web');
  });
});

describe('reachability: input errors name the field', () => {
  it.each([
    [{ from: 'n/missing', to: '1.2.3.4', port: 80 }, 'queries[0].from'],
    [{ from: '1.2.3.4', to: 'not an ip', port: 80 }, 'queries[0].to'],
    [{ from: '1.2.3.4', to: '1.2.3.5', port: 0 }, 'queries[0].port'],
    [{ from: '1.2.3.4', to: '1.2.3.5', port: 80, protocol: 'ICMP' }, 'queries[0].protocol'],
  ])('%j', (query, field) => {
    const model = compileModel({ namespaces: [], pods: [] }, []);
    expect(() => evaluateQueries(model, [query as never])).toThrow(ReachabilityInputError);
    try {
      evaluateQueries(model, [query as never]);
    } catch (err) {
      expect((err as ReachabilityInputError).field).toBe(field);
    }
  });
});

// ---- properties -------------------------------------------------------------------------

const podArb = fc.record({ ns: fc.constantFrom('ns1', 'ns2', 'ns3'), labels: labelsArb, ip: fc.integer({ min: 0, max: 3 }) });
const modelArb: fc.Arbitrary<ClusterModel> = fc
  .tuple(fc.array(podArb, { minLength: 1, maxLength: 6 }), fc.tuple(labelsArb, labelsArb, labelsArb))
  .map(([pods, nsLabels]) => ({
    namespaces: ['ns1', 'ns2', 'ns3'].map((name, i) => ({ name, labels: nsLabels[i] ?? {} })),
    pods: pods.map((p, i) => ({
      namespace: p.ns,
      name: `pod${i}`,
      labels: p.labels,
      ip: ['10.1.2.3', '10.2.0.1', '192.168.0.1', '10.1.0.9'][p.ip],
      ports: [{ containerPort: 80, name: 'http' }, { containerPort: 53, name: 'dns', protocol: 'UDP' as const }],
    })),
  }));
const PORTS = [{ port: 80, protocol: 'TCP' as const }, { port: 53, protocol: 'UDP' as const }, { port: 95, protocol: 'TCP' as const }];

describe('reachability properties', () => {
  it('the matrix agrees with single queries', () => {
    fc.assert(
      fc.property(modelArb, fc.array(networkPolicy, { maxLength: 4 }), (model, policies) => {
        const compiled = compileModel(model, policies);
        const matrix = computeMatrix(compiled, PORTS);
        for (const from of matrix.pods) for (const to of matrix.pods) for (const pp of PORTS) {
          const [r] = evaluateQueries(compiled, [{ from, to, port: pp.port, protocol: pp.protocol }]);
          expect(matrixAllows(matrix, from, to, pp)).toBe(r!.allowed);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('adding an allow rule never removes an allowed connection', () => {
    fc.assert(
      fc.property(modelArb, fc.array(networkPolicy, { minLength: 1, maxLength: 4 }), fc.nat(), fc.constantFrom('ingress', 'egress'), fc.array(selector, { minLength: 1, maxLength: 2 }), (model, policies, which, direction, sels) => {
        const before = reachabilityMatrix(model, policies, PORTS);
        // Default first, so adding the rule cannot change the policy types (only add allowed traffic).
        const changed = policies.map((p) => applyDefaults(p));
        const target = changed[which % changed.length]!;
        const rule = direction === 'ingress' ? { from: sels.map((s) => ({ podSelector: s })) } : { to: sels.map((s) => ({ namespaceSelector: s })) };
        if (direction === 'ingress') target.spec.ingress = [...(target.spec.ingress ?? []), rule];
        else target.spec.egress = [...(target.spec.egress ?? []), rule];
        const after = reachabilityMatrix(model, changed, PORTS);
        after.allowed.forEach((cells, p) => cells.forEach((v, i) => {
          if (before.allowed[p]![i] === 1) expect(v).toBe(1);
        }));
      }),
      { numRuns: 200 },
    );
  });

  it('a policy that selects no pod changes nothing', () => {
    fc.assert(
      fc.property(modelArb, fc.array(networkPolicy, { maxLength: 4 }), networkPolicy, (model, policies, extra) => {
        const idle = structuredClone(extra);
        idle.spec.podSelector = { matchLabels: { 'no-pod-has-this': 'label' } };
        expect(diff(policies, [...policies, idle], model, PORTS)).toEqual({ opened: [], closed: [] });
        const elsewhere = structuredClone(extra);
        elsewhere.metadata.namespace = 'empty-namespace';
        expect(diff(policies, [...policies, elsewhere], model, PORTS)).toEqual({ opened: [], closed: [] });
      }),
      { numRuns: 200 },
    );
  });
});

describe('diff', () => {
  it('lists the connections a deny-all closes and an allow opens again', () => {
    const deny: NetworkPolicy = { metadata: { name: 'deny', namespace: 'default' }, spec: { podSelector: { matchLabels: { role: 'db' } }, policyTypes: ['Ingress'] } };
    const d = diff([], [deny], docModel);
    expect(d.opened).toEqual([]);
    expect(d.closed.map((c) => c.from).sort()).toEqual(['default/backend', 'default/frontend', 'myproject-ns/app', 'other/frontend', 'other/target']);
    expect(new Set(d.closed.map((c) => `${c.to}:${c.port}/${c.protocol}`))).toEqual(new Set(['default/db:6379/TCP']));
    const back = diff([deny], [deny, docExample], docModel);
    expect(back.opened.map((c) => c.from).sort()).toEqual(['default/frontend', 'myproject-ns/app']);
  });
});

describe('checkReachability', () => {
  it('defaults to every pod pair on every declared container port', () => {
    const queries = defaultQueries(docModel);
    expect(queries).toHaveLength(3 * 5);
    const results = checkReachability({ ...docModel, policies: [docExample] });
    expect(results.filter((r) => r.to === 'default/db' && r.allowed).map((r) => r.from).sort()).toEqual(['default/frontend', 'myproject-ns/app']);
  });
});
