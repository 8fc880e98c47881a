import { describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor.js';
import { DomainError, DomainErrorCode } from '../errors/index.js';
import { NetpolService, REACHABILITY_LIMITS } from './netpol.service.js';

const viewer: Actor = { id: 'viewer-id', name: 'viewer', role: 'viewer' };
const service = new NetpolService();

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const policy = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ metadata: { name: 'p', namespace: 'default' }, spec: { podSelector: {}, ...spec }, ...extra });

describe('NetpolService.validate', () => {
  it('returns the defaulted copy and leaves the input alone', () => {
    const input = policy({ egress: [{ ports: [{ port: 53 }] }] });
    const before = structuredClone(input);
    expect(service.validate(viewer, input)).toEqual({ valid: true, defaulted: policy({ egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }], policyTypes: ['Ingress', 'Egress'] }) });
    expect(input).toEqual(before);
  });

  it('defaults `spec: {}` to what the API server reads back: podSelector {} and policyTypes [Ingress]', () => {
    const out = service.validate(viewer, { metadata: { name: 'p', namespace: 'default' }, spec: {} });
    expect(out).toEqual({ valid: true, defaulted: { metadata: { name: 'p', namespace: 'default' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } } });
  });

  it('is INVALID_POLICY with the Status message as detail and {field, message} only', () => {
    const e = thrown(() => service.validate(viewer, policy({ policyTypes: ['Egress', 'Up'] }, { kind: 'Pod' })));
    expect(e.code).toBe(DomainErrorCode.InvalidPolicy);
    expect(e.message).toBe('NetworkPolicy.networking.k8s.io "p" is invalid: [kind: Unsupported value: "Pod": supported values: "NetworkPolicy", spec.policyTypes[1]: Unsupported value: "Up": supported values: "Ingress", "Egress"]');
    expect(e.errors).toEqual([
      { field: 'kind', message: 'Unsupported value: "Pod": supported values: "NetworkPolicy"' },
      { field: 'spec.policyTypes[1]', message: 'Unsupported value: "Up": supported values: "Ingress", "Egress"' },
    ]);
  });

  it('never throws anything but a DomainError on odd JSON', () => {
    for (const odd of [null, 42, 'x', [], { spec: 'x' }, { metadata: [], spec: { ingress: 'x', egress: [null, 1] } }]) {
      expect(thrown(() => service.validate(viewer, odd))).toBeInstanceOf(DomainError);
    }
  });

  it('refuses an unknown profile as VALIDATION_FAILED naming it', () => {
    const e = thrown(() => service.validate(viewer, policy({}), { profile: 'newest' as 'current' }));
    expect(e.code).toBe(DomainErrorCode.ValidationFailed);
    expect(e.errors.map((x) => x.field)).toEqual(['profile']);
  });
});

describe('NetpolService.checkReachability', () => {
  const model = {
    namespaces: [{ name: 'default' }],
    pods: [
      { namespace: 'default', name: 'a', ports: [{ containerPort: 80 }] },
      { namespace: 'default', name: 'b', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] },
    ],
  };

  it('defaults the queries to every ordered pod pair on every declared port', () => {
    const { results } = service.checkReachability(viewer, { ...model, policies: [policy({})] });
    expect(results.map((r) => `${r.from}>${r.to}:${r.port}/${r.protocol}=${r.allowed}`)).toEqual([
      'default/b>default/a:80/TCP=false',
      'default/a>default/b:80/TCP=false',
      'default/a>default/b:53/UDP=false',
    ]);
  });

  it('tells malformed input (400) from invalid policies (422)', () => {
    const malformed = thrown(() => service.checkReachability(viewer, { ...model, policies: [policy({ policyTypes: ['Up'] })], queries: 'all' }));
    expect(malformed.code).toBe(DomainErrorCode.ValidationFailed);
    expect(malformed.errors.map((x) => x.field)).toEqual(['policies[0].spec.policyTypes[0]', 'queries']);
    const invalid = thrown(() => service.checkReachability(viewer, { ...model, policies: [policy({}), policy({ policyTypes: ['Up'] })] }));
    expect(invalid.code).toBe(DomainErrorCode.InvalidPolicy);
    expect(invalid.errors).toEqual([{ field: 'policies[1].spec.policyTypes[0]', message: 'Unsupported value: "Up": supported values: "Ingress", "Egress"' }]);
    const unknown = thrown(() => service.checkReachability(viewer, { ...model, policies: [], queries: [{ from: 'default/a', to: 'default/zz', port: 80 }] }));
    expect(unknown.errors).toEqual([{ field: 'queries[0].to', message: 'unknown pod "default/zz"' }]);
  });

  it('counts the lists before parsing them, and the implied default queries', () => {
    const e = thrown(() => service.checkReachability(viewer, { namespaces: [], pods: Array(REACHABILITY_LIMITS.pods + 1).fill(null), policies: [] }));
    expect(e.errors).toEqual([{ field: 'pods', message: `Too many: ${REACHABILITY_LIMITS.pods + 1}: must have at most ${REACHABILITY_LIMITS.pods} items` }]);
    const pods = Array.from({ length: 72 }, (_, i) => ({ namespace: 'default', name: `p${i}`, ports: [{ containerPort: 1 }] }));
    expect(thrown(() => service.checkReachability(viewer, { namespaces: [], pods, policies: [] })).errors[0]?.field).toBe('queries');
  });
});
