import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkReachability } from './evaluate-queries.js';
import { parseReachabilityInput } from './parse-reachability-input.js';

const valid = {
  namespaces: [{ name: 'a', labels: { team: 'x' } }],
  pods: [
    { namespace: 'a', name: 'p1', labels: { app: 'web' }, ip: '10.0.0.1', ports: [{ containerPort: 80, name: 'http' }] },
    { namespace: 'a', name: 'p2', ip: '10.0.0.2' },
  ],
  policies: [{ metadata: { name: 'deny', namespace: 'a' }, spec: { podSelector: {} } }],
  queries: [{ from: 'a/p2', to: 'a/p1', port: 'http' }],
};

describe('parseReachabilityInput', () => {
  it('accepts a well-formed request, which then evaluates', () => {
    const parsed = parseReachabilityInput(valid);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [r] = checkReachability(parsed.value, parsed.value.queries);
    expect(r).toMatchObject({ from: 'a/p2', to: 'a/p1', allowed: false });
  });

  it.each([
    [{ ...valid, pods: undefined }, 'pods', 'Required value'],
    [{ ...valid, namespaces: 'a' }, 'namespaces', 'must be an array'],
    [{ ...valid, pods: [{ namespace: 'a', name: 'p', ip: '10.0.0.300' }] }, 'pods[0].ip', 'must be an IP address'],
    [{ ...valid, pods: [{ namespace: 'A', name: 'p' }] }, 'pods[0].namespace', 'must be a namespace name'],
    [{ ...valid, pods: [{ namespace: 'a', name: 'p', ports: [{ containerPort: 0 }] }] }, 'pods[0].ports[0].containerPort', 'must be between 1 and 65535, inclusive'],
    [{ ...valid, pods: [{ namespace: 'a', name: 'p', labels: { app: 1 } }] }, 'pods[0].labels', 'must be a map of strings'],
    [{ ...valid, pods: [valid.pods[0], valid.pods[0]] }, 'pods[1]', 'Duplicate value: "a/p1"'],
    [
      { ...valid, policies: [{ metadata: { name: 'x', namespace: 'a' }, spec: { podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] } }] },
      'policies[0].spec.ingress[0].ports[0].port',
      'Invalid value: 0: must be between 1 and 65535, inclusive',
    ],
    [{ ...valid, queries: [{ from: '', to: 'a/p1', port: 80 }] }, 'queries[0].from', 'must be a pod (namespace/name) or an IP address'],
    [{ ...valid, queries: [{ from: 'a/p2', to: 'a/p1', port: 80, protocol: 'ICMP' }] }, 'queries[0].protocol', 'must be one of TCP, UDP, SCTP'],
  ])('names the field of %#', (body, field, message) => {
    const parsed = parseReachabilityInput(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]).toEqual({ field, message });
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), (a, b, c) => {
        parseReachabilityInput(a);
        parseReachabilityInput({ namespaces: [a], pods: [b], policies: [c], queries: [a] });
      }),
      { numRuns: 300 },
    );
  });
});
