import type { NetworkPolicy } from '@fleetgate/netpol';
import { describe, expect, it } from 'vitest';
import { type AssignedObject, type LiveObject, changedByOf, compareDrift, diffValues } from './drift-compare.builder.js';

const ours = { 'app.kubernetes.io/managed-by': 'fleetgate', 'fleetgate.io/binding': 'b1', 'fleetgate.io/template': 't1' };

function policy(ns: string | undefined, name: string, port = 53): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, ...(ns ? { namespace: ns } : {}), labels: { ...ours }, annotations: { 'fleetgate.io/description': 'd' } },
    spec: { podSelector: {}, egress: [{ ports: [{ port, protocol: 'UDP' }] }] },
  } as NetworkPolicy;
}

function assigned(cluster: string, ns: string, name: string, port = 53): AssignedObject {
  return { key: `${cluster}/${ns}/${name}`, target: { cluster, namespace: ns, namespaceRule: null }, name, hash: 'h', policy: policy(ns, name, port), origin: { binding: 'b1', template: 't1' } };
}

/** What the API server hands back: defaulted, with managedFields and server metadata. */
function live(ns: string, name: string, opts: { port?: number; labels?: Record<string, string>; managers?: LiveObject['metadata']['managedFields'] } = {}): LiveObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name,
      namespace: ns,
      uid: 'u',
      resourceVersion: '7',
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: opts.labels ?? { ...ours },
      annotations: { 'fleetgate.io/description': 'd' },
      managedFields: opts.managers ?? [{ manager: 'fleetgate', operation: 'Apply', time: '2026-01-01T00:00:00Z', fieldsV1: { 'f:spec': { 'f:egress': {} } } }],
    },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{ ports: [{ port: opts.port ?? 53, protocol: 'UDP' }] }] },
  };
}

describe('compareDrift', () => {
  it('finds nothing when the live object is the assigned one after server defaulting', () => {
    const out = compareDrift({ cluster: 'c1', assigned: [assigned('c1', 'ns', 'p')], live: new Map([['c1', [live('ns', 'p')]]]) });
    expect(out).toEqual([]);
  });

  it('ignores labels and annotations another manager added', () => {
    const l = live('ns', 'p', { labels: { ...ours, extra: 'x' } });
    expect(compareDrift({ cluster: 'c1', assigned: [assigned('c1', 'ns', 'p')], live: new Map([['c1', [l]]]) })).toEqual([]);
  });

  it('reports missing, modified (diff + who), unexpected and conflict', () => {
    const modified = live('ns', 'mod', {
      port: 5353,
      managers: [
        { manager: 'fleetgate', operation: 'Apply', time: '2026-01-01T00:00:00Z', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app.kubernetes.io/managed-by': {} } } } },
        { manager: 'kubectl-edit', operation: 'Update', time: '2026-01-01T00:01:00Z', fieldsV1: { 'f:spec': { 'f:egress': {} } } },
      ],
    });
    const foreign = live('ns', 'clash', { labels: { app: 'x' }, managers: [{ manager: 'helm', operation: 'Update', time: '2026-01-01T00:00:00Z', fieldsV1: {} }] });
    const stray = live('ns', 'stray');
    const out = compareDrift({
      cluster: 'c1',
      assigned: [assigned('c1', 'ns', 'gone'), assigned('c1', 'ns', 'mod'), assigned('c1', 'ns', 'clash')],
      live: new Map([['c1', [modified, foreign, stray]]]),
    });
    expect(out.map((f) => [f.kind, f.key])).toEqual([
      ['conflict', 'c1/ns/clash'],
      ['missing', 'c1/ns/gone'],
      ['modified', 'c1/ns/mod'],
      ['unexpected', 'c1/ns/stray'],
    ]);
    const mod = out.find((f) => f.kind === 'modified')!;
    expect(mod.diff).toEqual([{ path: 'spec.egress[0].ports[0].port', expected: 53, actual: 5353 }]);
    expect(mod.changedBy).toBe('kubectl-edit');
    expect(out.find((f) => f.kind === 'conflict')!.changedBy).toBe('helm');
    expect(out.find((f) => f.kind === 'unexpected')).toMatchObject({ binding: 'b1', template: 't1', assignedKey: null });
  });

  it('scopes a seed: objects labelled for another user cluster are not unexpected for this one', () => {
    const other = live('cluster-u2', 'p', { labels: { ...ours, 'fleetgate.io/cluster': 'u2' } });
    const mine = live('cluster-u1', 'p', { labels: { ...ours, 'fleetgate.io/cluster': 'u1' } });
    const a = assigned('seed', 'cluster-u1', 'p');
    a.policy.metadata!.labels!['fleetgate.io/cluster'] = 'u1';
    expect(compareDrift({ cluster: 'u1', assigned: [a], live: new Map([['seed', [other, mine]], ['u1', []]]) })).toEqual([]);
    expect(compareDrift({ cluster: 'seed', assigned: [], live: new Map([['seed', [other, mine]]]) })).toEqual([]);
    expect(compareDrift({ cluster: 'u2', assigned: [], live: new Map([['seed', [other]]]) }).map((f) => f.kind)).toEqual(['unexpected']);
  });

  it('expands namespace rules against the namespaces of the API server', () => {
    const a: AssignedObject = { key: 'c1/rule:x/p', target: { cluster: 'c1', namespace: null, namespaceRule: { globs: ['app-*'], selectors: [] } }, name: 'p', hash: 'h', policy: policy(undefined, 'p'), origin: { binding: 'b1', template: 't1' } };
    const out = compareDrift({
      cluster: 'c1',
      assigned: [a],
      live: new Map([['c1', [live('app-a', 'p')]]]),
      namespaces: new Map([['c1', [{ name: 'app-a' }, { name: 'app-b' }, { name: 'other' }]]]),
    });
    expect(out.map((f) => [f.kind, f.key])).toEqual([['missing', 'c1/app-b/p']]);
  });
});

describe('diffValues / changedByOf', () => {
  it('reports added and removed fields', () => {
    expect(diffValues({ a: 1, b: [1, 2] }, { b: [1], c: 'x' })).toEqual([
      { path: 'a', expected: 1 },
      { path: 'b[1]', expected: 2 },
      { path: 'c', actual: 'x' },
    ]);
  });

  it('falls back to the latest other manager when nobody owns the changed field', () => {
    const l = live('ns', 'p', {
      managers: [
        { manager: 'fleetgate', operation: 'Apply', time: '2026-01-01T00:00:00Z', fieldsV1: {} },
        { manager: 'old', operation: 'Update', time: '2026-01-01T00:00:01Z', fieldsV1: {} },
        { manager: 'new', operation: 'Update', time: '2026-01-01T00:00:02Z', fieldsV1: {} },
      ],
    });
    expect(changedByOf(l, [{ path: 'spec.ingress', expected: [] }])).toBe('new');
  });
});
