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

  it('refuses fields the simulator has no message field for instead of dropping them', () => {
    // PodSpec field 1 is `volumes`, which the simulator does not model.
    const pod = msg(1, str(1, 'p')).concat(msg(2, msg(1, str(1, 'data')), msg(2, str(1, 'c'), str(2, 'nginx'))));
    expect(() => decodeObject(envelope('v1', 'Pod', pod))).toThrow('kube-sim does not model protobuf field(s) spec#1 of Pod; send this object as JSON or YAML');
    const ok = msg(1, str(1, 'p')).concat(msg(2, msg(2, str(1, 'c'), str(2, 'nginx'))));
    expect(decodeObject(envelope('v1', 'Pod', ok))).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
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
    Pod: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-0', namespace: 'apps', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'web', uid: 'u', controller: true, blockOwnerDeletion: true }] },
      spec: {
        containers: [{ name: 'c', image: 'nginx:1.27', command: ['nginx'], args: ['-g', 'daemon off;'], ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: 'b' }], resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } }, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        serviceAccountName: 'default',
        nodeName: 'node-1',
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
        enableServiceLinks: true,
      },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T10:00:00Z' }], hostIP: '10.0.0.1', hostIPs: [{ ip: '10.0.0.1' }], podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }], startTime: '2026-01-01T10:00:00Z', containerStatuses: [{ name: 'c', state: { running: { startedAt: '2026-01-01T10:00:01Z' } }, ready: true, restartCount: 2, image: 'nginx:1.27', imageID: 'sha', containerID: 'containerd://x', started: true }], qosClass: 'Burstable' },
    },
    Service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 }, { port: 443, targetPort: 8443 }], selector: { app: 'web' }, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], type: 'NodePort', sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' },
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4', ports: [{ port: 80, protocol: 'TCP' }] }] }, conditions: [{ type: 'X', status: 'True', observedGeneration: 2, lastTransitionTime: '2026-01-01T10:00:00Z', reason: 'R', message: 'm' }] },
    },
    Endpoints: {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'apps' },
      subsets: [{ addresses: [{ ip: '10.244.0.5', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'apps', name: 'web-0', uid: 'u' } }], notReadyAddresses: [{ ip: '10.244.0.6' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }],
    },
    DaemonSet: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'kube-system', generation: 2 },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } },
        revisionHistoryLimit: 10,
      },
      status: { currentNumberScheduled: 3, desiredNumberScheduled: 3, numberReady: 3, observedGeneration: 2, updatedNumberScheduled: 3, numberAvailable: 3, conditions: [{ type: 'T', status: 'True', lastTransitionTime: '2026-01-01T10:00:00Z' }] },
    },
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

  it('does not report fields of a subset message (PodSpec lists only some of its fields)', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { volumes: [{ name: 'v' }], containers: [{ name: 'c', livenessProbe: {} }], colour: 1 }, bogus: 1 };
    expect(unknownFields('v1', 'Pod', pod)).toEqual(['bogus']);
  });

  it('has a message for every served kind and its list', () => {
    for (const [v, k] of [['v1', 'Namespace'], ['networking.k8s.io/v1', 'NetworkPolicy'], ['v1', 'Pod'], ['v1', 'Service'], ['v1', 'Endpoints'], ['apps/v1', 'DaemonSet']] as const) {
      expect(messageFor(v, k)).toBeDefined();
      expect(messageFor(v, `${k}List`)).toBeDefined();
    }
  });
});
