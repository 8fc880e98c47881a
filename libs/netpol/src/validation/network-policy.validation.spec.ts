import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInvalidMessage } from './field-error.js';
import { validate } from './network-policy.validation.js';
import { KUBERNETES_DOCS_EXAMPLE_POLICY as K8S_DOC_EXAMPLE } from '../examples/kubernetes-docs.js';


function policy(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p', namespace: 'ns' }) {
  return { metadata, spec: { podSelector: {}, ...spec } };
}

const ingressPort = (port: Record<string, unknown>) => policy({ ingress: [{ ports: [port] }] });
const ingressPeer = (peer: unknown) => policy({ ingress: [{ from: [peer] }] });

describe('validate', () => {
  it('accepts the seed documents\' policies', () => {
    expect(validate(K8S_DOC_EXAMPLE)).toEqual([]);
    expect(
      validate(policy({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { user: 'alice' } }, podSelector: { matchLabels: { role: 'client' } } }] }] })),
    ).toEqual([]);
    expect(validate(policy({ policyTypes: ['Ingress', 'Egress'] }, { name: 'deny-all-traffic', namespace: 'default' }))).toEqual([]);
  });

  // One row per rule: [case, policy, expected "field: message" lines, types].
  it.each<[string, unknown, string[]]>([
    ['name required', policy({}, { namespace: 'ns' }), ['metadata.name: Required value: name or generateName is required']],
    [
      'name DNS-1123 subdomain',
      policy({}, { name: 'Bad_Name', namespace: 'ns' }),
      [
        `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    ['namespace required', policy({}, { name: 'p' }), ['metadata.namespace: Required value']],
    ['namespace label without dots', policy({}, { name: 'p', namespace: 'a.b' }), ['metadata.namespace: Invalid value: "a.b": must not contain dots']],
    [
      'namespace too long',
      policy({}, { name: 'p', namespace: 'a'.repeat(64) }),
      [`metadata.namespace: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
    ],
    [
      'metadata label value',
      policy({}, { name: 'p', namespace: 'ns', labels: { ok: 'bad value' } }),
      [
        `metadata.labels: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
    [
      'annotation key',
      policy({}, { name: 'p', namespace: 'ns', annotations: { 'a b': 'x' } }),
      [
        `metadata.annotations: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
    ],
    [
      'selector operator',
      policy({ podSelector: { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] } }),
      ['spec.podSelector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator'],
    ],
    [
      'selector In needs values',
      policy({ podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }),
      ["spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    [
      'selector Exists forbids values',
      policy({ podSelector: { matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: ['b'] }] } }),
      ["spec.podSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    ],
    [
      'protocol',
      ingressPort({ protocol: 'SCTPX', port: 80 }),
      ['spec.ingress[0].ports[0].protocol: Unsupported value: "SCTPX": supported values: "TCP", "UDP", "SCTP"'],
    ],
    ['port range low', ingressPort({ port: 0 }), ['spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
    ['port range high', ingressPort({ port: 65536 }), ['spec.ingress[0].ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive']],
    [
      'named port charset',
      ingressPort({ port: 'HTTP' }),
      ['spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    ],
    ['named port needs a letter', ingressPort({ port: '80' }), ['spec.ingress[0].ports[0].port: Invalid value: "80": must contain at least one letter (a-z)']],
    [
      'named port hyphens',
      ingressPort({ port: '-a--b' }),
      [
        'spec.ingress[0].ports[0].port: Invalid value: "-a--b": must not contain consecutive hyphens',
        'spec.ingress[0].ports[0].port: Invalid value: "-a--b": must not begin or end with a hyphen',
      ],
    ],
    ['named port length', ingressPort({ port: 'a'.repeat(16) }), [`spec.ingress[0].ports[0].port: Invalid value: "${'a'.repeat(16)}": must be no more than 15 characters`]],
    ['endPort below port', ingressPort({ port: 100, endPort: 90 }), ['spec.ingress[0].ports[0].endPort: Invalid value: 100: must be greater than or equal to `port`']],
    ['endPort range', ingressPort({ port: 100, endPort: 70000 }), ['spec.ingress[0].ports[0].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    [
      'endPort with named port',
      ingressPort({ port: 'http', endPort: 90 }),
      ['spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric'],
    ],
    ['endPort without port', ingressPort({ endPort: 90 }), ['spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified']],
    ['empty peer', ingressPeer({}), ['spec.ingress[0].from[0]: Required value: must specify a peer']],
    [
      'ipBlock with a selector',
      ingressPeer({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }),
      ['spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer'],
    ],
    ['cidr required', ingressPeer({ ipBlock: { cidr: '' } }), ['spec.ingress[0].from[0].ipBlock.cidr: Required value']],
    ['cidr syntax', ingressPeer({ ipBlock: { cidr: '10.0.0.0/33' } }), ['spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": not a valid CIDR']],
    [
      'except syntax',
      ingressPeer({ ipBlock: { cidr: '10.0.0.0/8', except: ['nope'] } }),
      ['spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "nope": not a valid CIDR'],
    ],
    [
      'except outside cidr',
      ingressPeer({ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] } }),
      ['spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`'],
    ],
    [
      'except equal to cidr',
      ingressPeer({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }),
      ['spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`'],
    ],
    [
      'except of another family',
      policy({ egress: [{ to: [{ ipBlock: { cidr: '::/0', except: ['10.0.0.0/8'] } }] }] }),
      ['spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`'],
    ],
    [
      'egress peer selector',
      policy({ egress: [{ to: [{ namespaceSelector: { matchLabels: { 'a/b/c': 'x' } } }] }] }),
      [
        `spec.egress[0].to[0].namespaceSelector.matchLabels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ],
    ],
    ['policyTypes value', policy({ policyTypes: ['Ingress', 'Sideways'] }), ['spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"']],
    [
      'policyTypes count',
      policy({ policyTypes: ['Ingress', 'Egress', 'Ingress'] }),
      ['spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes'],
    ],
    ['wrong JSON type', policy({ ingress: 'all' }), ['spec.ingress: Invalid value: string: must be an array']],
  ])('%s', (_name, input, expected) => {
    expect(validate(input).map((e) => `${e.field}: ${e.message}`)).toEqual(expected);
  });

  it('names the cause reason of each error', () => {
    const types = validate(
      policy({ ingress: [{ ports: [{ protocol: 'X' }], from: [{}, { ipBlock: { cidr: 'x' }, podSelector: {} }] }] }, { namespace: 'ns' }),
    ).map((e) => e.type);
    expect(types).toEqual(['FieldValueRequired', 'FieldValueNotSupported', 'FieldValueRequired', 'FieldValueInvalid', 'FieldValueForbidden']);
  });

  it('can skip the namespace requirement for templates', () => {
    expect(validate(policy({}, { name: 'p' }), { requireNamespace: false })).toEqual([]);
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(Array.isArray(validate(value))).toBe(true);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (metadata, spec) => {
        expect(Array.isArray(validate({ metadata, spec }))).toBe(true);
        expect(Array.isArray(validate({ metadata: { name: 'a', namespace: 'b' }, spec: { ingress: [spec], egress: [{ to: [spec], ports: [spec] }], podSelector: spec } }))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('validate with profile current (Kubernetes 1.33+)', () => {
  const v = (input: unknown, strictCidr = false) => validate(input, { profile: 'current', strictCidr }).map((e) => `${e.field}: ${e.message}`);

  it('uses the newer CIDR wording and checks every except entry', () => {
    expect(v(ingressPeer({ ipBlock: { cidr: '10.0.0.0/8', except: ['nope', '11.0.0.0/16'] } }))).toEqual([
      'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "nope": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      'spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
    ]);
  });

  it('reports endPort\'s own value when it is below port', () => {
    expect(v(ingressPort({ port: 100, endPort: 90 }))).toEqual(['spec.ingress[0].ports[0].endPort: Invalid value: 90: must be greater than or equal to `port`']);
  });

  it.each([
    ['010.0.0.0/8', 'must not have leading 0s in IP or prefix length'],
    ['10.0.0.0/08', 'must not have leading 0s in IP or prefix length'],
    ['::ffff:10.0.0.0/104', 'must not have an IPv4-mapped IPv6 address'],
    ['10.0.0.1/8', 'must not have bits set beyond the prefix length'],
  ])('with strict CIDR validation rejects %s', (cidr, message) => {
    expect(v(ingressPeer({ ipBlock: { cidr } }), true)).toEqual([`spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "${cidr}": ${message}`]);
    expect(v(ingressPeer({ ipBlock: { cidr } }), false)).toEqual([]);
  });
});

describe('validate with the legacy profile', () => {
  it('stops checking an ipBlock at the first unparseable except entry, as the API server did', () => {
    expect(validate(ingressPeer({ ipBlock: { cidr: '10.0.0.0/8', except: ['nope', '11.0.0.0/16'] } })).map((e) => e.field)).toEqual([
      'spec.ingress[0].from[0].ipBlock.except[0]',
    ]);
  });

  it('accepts sloppy CIDRs (leading zeros, host bits)', () => {
    expect(validate(ingressPeer({ ipBlock: { cidr: '010.0.0.1/8', except: ['10.1.0.0/16'] } }))).toEqual([]);
  });
});

describe('formatInvalidMessage', () => {
  it('builds the 422 Status message', () => {
    const errors = validate(policy({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }], ports: [{ protocol: 'SCTPX' }] }] }, { name: 'x', namespace: 'ns' }));
    expect(formatInvalidMessage('NetworkPolicy.networking.k8s.io', 'x', errors)).toBe(
      'NetworkPolicy.networking.k8s.io "x" is invalid: [spec.ingress[0].ports[0].protocol: Unsupported value: "SCTPX": supported values: "TCP", "UDP", "SCTP", spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": not a valid CIDR]',
    );
    expect(formatInvalidMessage('NetworkPolicy.networking.k8s.io', 'x', errors.slice(0, 1))).toBe(
      'NetworkPolicy.networking.k8s.io "x" is invalid: spec.ingress[0].ports[0].protocol: Unsupported value: "SCTPX": supported values: "TCP", "UDP", "SCTP"',
    );
  });
});
