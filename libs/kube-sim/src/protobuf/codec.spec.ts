import { describe, expect, it } from 'vitest';
import { decodeObject, decodeWatchFrames, encodeObject, encodeWatchFrame, messageFor, unknownFields } from './codec.js';

/** A protobuf writer independent of protobufjs, for vectors built from the .proto field numbers. */
const varint = (n: number | bigint): number[] => {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
};
const tag = (field: number, wire: number) => varint((field << 3) | wire);
const str = (field: number, s: string) => [...tag(field, 2), ...varint(Buffer.byteLength(s)), ...Buffer.from(s)];
const msg = (field: number, ...parts: number[][]) => {
  const body = parts.flat();
  return [...tag(field, 2), ...varint(body.length), ...body];
};
const int = (field: number, n: number | bigint) => [...tag(field, 0), ...varint(n)];
const envelope = (apiVersion: string, kind: string, raw: number[]) =>
  Buffer.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, apiVersion), str(2, kind)), ...msg(2, raw), ...str(3, ''), ...str(4, '')]);

describe('protobuf envelope', () => {
  it('encodes a Namespace exactly as the Go encoder does (magic, Unknown with all four fields)', () => {
    const expected = envelope('v1', 'Namespace', msg(1, str(1, 'x')));
    expect(encodeObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } })?.toString('hex')).toBe(expected.toString('hex'));
  });

  it('decodes what a Go client sends: zero-valued non-pointer fields, an empty Time, int-or-string, labels', () => {
    // ObjectMeta as gogo writes it: every string field even when empty, generation 0, an empty creationTimestamp.
    const meta = msg(1, str(1, 'web'), str(2, ''), str(3, 'apps'), str(4, ''), str(5, ''), str(6, ''), int(7, 0), msg(8), msg(11, str(1, 'app'), str(2, 'web')));
    const port80 = msg(1, str(1, 'TCP'), msg(2, int(1, 0), int(2, 80), str(3, '')));
    const portNamed = msg(1, msg(2, int(1, 1), int(2, 0), str(3, 'http')), int(3, 0));
    const spec = msg(2, msg(1), msg(2, port80, portNamed), str(4, 'Ingress'));
    const obj = decodeObject(envelope('networking.k8s.io/v1', 'NetworkPolicy', [...meta, ...spec]));
    expect(obj).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'apps', labels: { app: 'web' } },
      spec: { podSelector: {}, ingress: [{ ports: [{ protocol: 'TCP', port: 80 }, { port: 'http' }] }], policyTypes: ['Ingress'] },
    });
  });

  it('reads a Time as RFC 3339 seconds (nanos dropped, as the Go decoder does)', () => {
    const t = Date.UTC(2024, 0, 2, 3, 4, 5) / 1000;
    const meta = msg(1, str(1, 'x'), msg(8, int(1, t), int(2, 500)));
    expect(decodeObject(envelope('v1', 'Namespace', meta)).metadata).toEqual({ name: 'x', creationTimestamp: '2024-01-02T03:04:05Z' });
    expect(encodeObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', creationTimestamp: '2024-01-02T03:04:05Z' } })?.toString('hex')).toBe(
      envelope('v1', 'Namespace', msg(1, str(1, 'x'), msg(8, int(1, t)))).toString('hex'),
    );
  });

  it('writes IntOrString with all three fields, as Go does', () => {
    const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', spec: { ingress: [{ ports: [{ port: 'http' }] }] } };
    const expected = envelope('networking.k8s.io/v1', 'NetworkPolicy', msg(2, msg(2, msg(1, msg(2, int(1, 1), int(2, 0), str(3, 'http'))))));
    expect(encodeObject(np)?.toString('hex')).toBe(expected.toString('hex'));
  });

  it('refuses a body without the magic prefix with the API server words', () => {
    expect(() => decodeObject(Buffer.from('{"kind":"Namespace"}'))).toThrow('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  });

  it('refuses a kind it has no message for', () => {
    expect(() => decodeObject(envelope('example.com/v1', 'Widget', []))).toThrow('no kind "Widget" is registered for version "example.com/v1"');
  });
});

describe('round trips (encode → decode = identity)', () => {
  const managed = [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'networking.k8s.io/v1', time: '2026-01-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:ingress': {} } } }];
  const cases: Record<string, Record<string, unknown>> = {
    Namespace: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'apps', uid: 'u-1', resourceVersion: '7', creationTimestamp: '2026-01-01T10:00:00Z', labels: { 'kubernetes.io/metadata.name': 'apps' }, annotations: { a: 'b' }, finalizers: ['x/y'] },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active', conditions: [{ type: 'NamespaceDeletionDiscoveryFailure', status: 'False', lastTransitionTime: '2026-01-01T10:00:00Z', reason: 'R', message: 'm' }] },
    },
    NetworkPolicy: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'apps', generation: 3, managedFields: managed, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'u', controller: true }] },
      spec: {
        podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
        ingress: [{ from: [{ namespaceSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ protocol: 'TCP', port: 80, endPort: 90 }, { protocol: 'UDP', port: 'dns' }] }],
        egress: [{ to: [{ podSelector: { matchLabels: { a: 'b' } } }] }],
        policyTypes: ['Ingress', 'Egress'],
      },
    },
    NetworkPolicyList: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicyList',
      metadata: { resourceVersion: '12', continue: 'abc', remainingItemCount: 5 },
      items: [{ metadata: { name: 'a', namespace: 'n' }, spec: { podSelector: {} } }],
    },
    NamespaceList: { apiVersion: 'v1', kind: 'NamespaceList', metadata: { resourceVersion: '3' }, items: [{ metadata: { name: 'a' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }] },
    Status: {
      apiVersion: 'v1',
      kind: 'Status',
      metadata: {},
      status: 'Failure',
      message: 'bad',
      reason: 'Invalid',
      details: { name: 'x', group: 'networking.k8s.io', kind: 'NetworkPolicy', causes: [{ reason: 'FieldValueInvalid', message: 'm', field: 'spec.x' }], retryAfterSeconds: 2 },
      code: 422,
    },
  };
  for (const [name, obj] of Object.entries(cases)) {
    it(name, () => {
      const bytes = encodeObject(obj);
      expect(bytes).toBeDefined();
      expect(decodeObject(bytes as Buffer)).toEqual(obj);
    });
  }
});

describe('watch frames', () => {
  it('frames each WatchEvent with a 4-byte big-endian length and embeds the enveloped object', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } };
    const frame = encodeWatchFrame('ADDED', ns) as Buffer;
    const inner = encodeObject(ns) as Buffer;
    const body = [...str(1, 'ADDED'), ...msg(2, msg(1, [...inner]).slice(0))];
    // object is a RawExtension{raw=1}: field 2 holding field 1 holding the enveloped bytes.
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    expect(frame.subarray(4).toString('hex')).toBe(Buffer.from(body).toString('hex'));
    expect(decodeWatchFrames(Buffer.concat([frame, encodeWatchFrame('DELETED', ns) as Buffer]))).toEqual([
      { type: 'ADDED', object: ns },
      { type: 'DELETED', object: ns },
    ]);
  });
});

describe('unknown fields (strict decoding)', () => {
  it('names each field the Go type lacks by its JSON path', () => {
    const body = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a', colour: 'red' }, spec: { foo: 1, ingress: [{ ports: [{ port: 80, bar: true }] }] } };
    expect(unknownFields('networking.k8s.io/v1', 'NetworkPolicy', body)).toEqual(['metadata.colour', 'spec.foo', 'spec.ingress[0].ports[0].bar']);
  });

  it('has a message for every served kind and its list', () => {
    for (const [v, k] of [['v1', 'Namespace'], ['networking.k8s.io/v1', 'NetworkPolicy']] as const) {
      expect(messageFor(v, k)).toBeDefined();
      expect(messageFor(v, `${k}List`)).toBeDefined();
    }
  });
});
