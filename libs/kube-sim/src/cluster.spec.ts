import { describe, expect, it } from 'vitest';
import { SimCluster } from './cluster.js';
import type { KubeObject } from './managed-fields.js';
import { StatusError } from './status.js';

const np = (name: string, spec: Record<string, unknown>, labels?: Record<string, string>, ns = 'default'): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns, ...(labels ? { labels } : {}) },
  spec,
});

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('SimCluster server-side apply', () => {
  it('creates with Apply ownership and no ownership of defaulted fields', () => {
    const c = new SimCluster({ name: 'c' });
    const { object, created } = c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }, { x: '1' }), { manager: 'fleetgate' });
    expect(created).toBe(true);
    expect(object.spec).toEqual({ podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }], policyTypes: ['Ingress'] });
    expect(object.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'fleetgate', operation: 'Apply', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:x': {} } }, 'f:spec': { 'f:ingress': {}, 'f:podSelector': {} } } }),
    ]);
  });

  it('does not write when nothing changes (resourceVersion and managedFields time stay)', () => {
    const c = new SimCluster({ name: 'c' });
    const first = c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {} }), { manager: 'm' }).object;
    const rv = c.resourceVersion;
    const again = c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {} }), { manager: 'm' }).object;
    expect(c.resourceVersion).toBe(rv);
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(again.metadata.managedFields).toEqual(first.metadata.managedFields);
  });

  it('treats a re-apply of an undefaulted config as a no-op, and still writes real changes', () => {
    const c = new SimCluster({ name: 'c' });
    const cfg = (port: number) => np('a', { podSelector: {}, ingress: [{ ports: [{ port }] }], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] });
    c.applyNetworkPolicy('default', 'a', cfg(80), { manager: 'fleetgate' });
    const rv = c.resourceVersion;
    c.applyNetworkPolicy('default', 'a', cfg(80), { manager: 'fleetgate' });
    expect(c.resourceVersion).toBe(rv);
    const changed = c.applyNetworkPolicy('default', 'a', cfg(81), { manager: 'fleetgate' }).object;
    expect(changed.spec?.ingress).toEqual([{ ports: [{ port: 81, protocol: 'TCP' }] }]);
    expect(c.resourceVersion).not.toBe(rv);
    // Another manager's identical but undefaulted apply conflicts (compared with the stored, defaulted
    // value, as kube-apiserver 1.26.1 does); with the defaulted protocol it shares ownership.
    expect(statusOf(() => c.applyNetworkPolicy('default', 'a', cfg(81), { manager: 'other' })).message).toBe('Apply failed with 1 conflict: conflict with "fleetgate": .spec.ingress');
    const withProtocol = np('a', { podSelector: {}, ingress: [{ ports: [{ port: 81, protocol: 'TCP' }] }], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] });
    const shared = c.applyNetworkPolicy('default', 'a', withProtocol, { manager: 'other' }).object;
    expect(shared.metadata.managedFields?.map((m) => m.manager).sort()).toEqual(['fleetgate', 'other']);
  });

  it('conflicts with an Update manager unless forced, then takes the field from it', () => {
    const c = new SimCluster({ name: 'c' });
    c.createNetworkPolicy('default', np('a', { podSelector: {}, ingress: [] }), { manager: 'kubectl-create' });
    const err = statusOf(() => c.applyNetworkPolicy('default', 'a', np('a', { podSelector: { matchLabels: { a: 'b' } } }), { manager: 'fleetgate' }));
    expect(err.code).toBe(409);
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-create" using networking.k8s.io/v1: .spec.podSelector');
    const forced = c.applyNetworkPolicy('default', 'a', np('a', { podSelector: { matchLabels: { a: 'b' } } }), { manager: 'fleetgate', force: true }).object;
    const byManager = Object.fromEntries((forced.metadata.managedFields ?? []).map((m) => [m.manager, m.fieldsV1]));
    expect(byManager.fleetgate).toEqual({ 'f:spec': { 'f:podSelector': {} } });
    // `ingress: []` was dropped by the Go types at create, so nobody owns it.
    expect(byManager['kubectl-create']).toEqual({ 'f:spec': { 'f:policyTypes': {} } });
  });

  it('treats the same name with an Update entry as another manager (upstream #107417)', () => {
    const c = new SimCluster({ name: 'c' });
    c.createNetworkPolicy('default', np('a', { podSelector: {} }), { manager: 'myfm' });
    const err = statusOf(() => c.applyNetworkPolicy('default', 'a', np('a', { podSelector: { matchLabels: { x: 'y' } } }), { manager: 'myfm' }));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "myfm" using networking.k8s.io/v1: .spec.podSelector');
  });

  it('does not conflict when the value is the same (shared ownership)', () => {
    const c = new SimCluster({ name: 'c' });
    c.createNetworkPolicy('default', np('a', { podSelector: { matchLabels: { a: 'b' } } }), { manager: 'kubectl-create' });
    const out = c.applyNetworkPolicy('default', 'a', np('a', { podSelector: { matchLabels: { a: 'b' } } }), { manager: 'fleetgate' }).object;
    expect(out.metadata.managedFields?.map((m) => m.manager).sort()).toEqual(['fleetgate', 'kubectl-create']);
  });

  it('keeps a dropped field that another manager still owns', () => {
    const c = new SimCluster({ name: 'c' });
    c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {} }, { shared: 'v', mine: 'v' }), { manager: 'one' });
    c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {} }, { shared: 'v' }), { manager: 'two' });
    const out = c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {} }), { manager: 'one' }).object;
    expect(out.metadata.labels).toEqual({ shared: 'v' });
  });

  it('bumps generation on spec changes only, and resourceVersion on every write', () => {
    const c = new SimCluster({ name: 'c' });
    const a = c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {} }), { manager: 'm' }).object;
    const b = c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {} }, { l: 'x' }), { manager: 'm' }).object;
    const d = c.applyNetworkPolicy('default', 'a', np('a', { podSelector: { matchLabels: { q: 'r' } } }, { l: 'x' }), { manager: 'm' }).object;
    expect([a.metadata.generation, b.metadata.generation, d.metadata.generation]).toEqual([1, 1, 2]);
    expect(new Set([a.metadata.resourceVersion, b.metadata.resourceVersion, d.metadata.resourceVersion]).size).toBe(3);
    expect(d.metadata.uid).toBe(a.metadata.uid);
  });

  it('refuses apply without field manager, with unknown fields or managedFields, and a name mismatch', () => {
    const c = new SimCluster({ name: 'c' });
    expect(statusOf(() => c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {} }), { manager: '' })).code).toBe(422);
    expect(statusOf(() => c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {}, bogus: 1 }), { manager: 'm' })).message).toBe('.spec.bogus: field not declared in schema');
    const withMf = np('a', { podSelector: {} });
    withMf.metadata.managedFields = [];
    expect(statusOf(() => c.applyNetworkPolicy('default', 'a', withMf, { manager: 'm' })).message).toBe('metadata.managedFields must be nil');
    expect(statusOf(() => c.applyNetworkPolicy('default', 'b', np('a', { podSelector: {} }), { manager: 'm' })).message).toBe('the name of the object (a) does not match the name on the URL (b)');
    expect(statusOf(() => c.applyNetworkPolicy('default', 'a', { metadata: { name: 'a' }, spec: {} }, { manager: 'm' })).code).toBe(400);
  });
});

describe('SimCluster shapes objects like the Go types', () => {
  it('drops empty omitempty fields and unknown nested fields, keeps non-nil empty selectors', () => {
    const c = new SimCluster({ name: 'c' });
    const out = c.createNetworkPolicy('default', np('a', { podSelector: { matchLabels: {} }, ingress: [{ from: [{ namespaceSelector: {}, bogus: 1 }], ports: [] }], egress: [] }, {})).object;
    expect(out.spec).toEqual({ podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }], policyTypes: ['Ingress'] });
    expect(out.metadata).not.toHaveProperty('labels');
  });

  it('refuses unknown nested fields on apply, and owns an explicitly empty list', () => {
    const c = new SimCluster({ name: 'c' });
    expect(statusOf(() => c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {}, ingress: [{ bogus: 1 }] }), { manager: 'm' })).message).toBe('.spec.ingress[0].bogus: field not declared in schema');
    const out = c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {}, egress: [] }), { manager: 'm' }).object;
    expect(out.spec).not.toHaveProperty('egress');
    expect(out.metadata.managedFields?.[0]?.fieldsV1).toEqual({ 'f:spec': { 'f:egress': {}, 'f:podSelector': {} } });
  });
});

describe('SimCluster updates and external edits', () => {
  it('an external edit takes ownership of what it changed, as kubectl-edit', () => {
    const c = new SimCluster({ name: 'c' });
    c.applyNetworkPolicy('default', 'a', np('a', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }), { manager: 'fleetgate' });
    const edited = c.externalEdit.modify('default', 'a', { spec: { ingress: [{ ports: [{ port: 81 }] }] } });
    const owners = Object.fromEntries((edited.metadata.managedFields ?? []).map((m) => [`${m.manager}/${m.operation}`, m.fieldsV1]));
    expect(owners['kubectl-edit/Update']).toEqual({ 'f:spec': { 'f:ingress': {} } });
    expect(owners['fleetgate/Apply']).toEqual({ 'f:spec': { 'f:podSelector': {} } });
    c.externalEdit.add(np('extra', { podSelector: {} }));
    expect(c.getNetworkPolicy('default', 'extra').metadata.managedFields?.[0]?.manager).toBe('kubectl-create');
    c.externalEdit.delete('default', 'extra');
    expect(c.peekNetworkPolicy('default', 'extra')).toBeUndefined();
  });

  it('an Update owns the labels map ("."), an Apply only the keys', () => {
    const c = new SimCluster({ name: 'c' });
    const created = c.createNetworkPolicy('default', np('a', { podSelector: {} }, { a: '1' }), { manager: 'maker' }).object;
    expect(created.metadata.managedFields?.[0]?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { 'f:podSelector': {}, 'f:policyTypes': {} } });
  });

  it('PUT with a stale resourceVersion is a 409 Conflict; without one it is unconditional', () => {
    const c = new SimCluster({ name: 'c' });
    const a = c.createNetworkPolicy('default', np('a', { podSelector: {} })).object;
    c.updateNetworkPolicy('default', 'a', { ...a, spec: { podSelector: { matchLabels: { x: 'y' } } } });
    expect(statusOf(() => c.updateNetworkPolicy('default', 'a', a)).reason).toBe('Conflict');
    const { resourceVersion: _rv, ...meta } = a.metadata;
    expect(c.updateNetworkPolicy('default', 'a', { ...a, metadata: meta }).object.metadata.generation).toBe(3);
  });

  it('a created namespace gets its name label (owned by the creator) and unowned default finalizers', () => {
    const c = new SimCluster({ name: 'c' });
    const ns = c.createNamespace({ metadata: { name: 'team-a', labels: { team: 'a' } } }, { manager: 'kubectl-create' }).object;
    expect(ns.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/metadata.name': 'team-a' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(ns.metadata.managedFields?.[0]?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:kubernetes.io/metadata.name': {}, 'f:team': {} } } });
    expect(statusOf(() => c.createNamespace({ metadata: { name: 'Bad_Name' } })).message).toMatch(/^Namespace "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label/);
  });

  it('deleting a namespace removes its policies; system namespaces cannot be deleted', () => {
    const c = new SimCluster({ name: 'c', namespaces: [{ name: 'apps' }] });
    c.createNetworkPolicy('apps', np('a', { podSelector: {} }, undefined, 'apps'));
    c.deleteNamespace('apps');
    expect(c.policyCount).toBe(0);
    expect(statusOf(() => c.deleteNamespace('kube-system')).code).toBe(403);
  });
});

describe('SimCluster snapshots', () => {
  it('round-trips objects, ownership, tokens and the resourceVersion counter', () => {
    const c = new SimCluster({ name: 'c', token: 't', labels: { env: 'prod' }, namespaces: [{ name: 'apps', labels: { team: 'x' } }] });
    c.applyNetworkPolicy('apps', 'a', np('a', { podSelector: {} }, { l: 'v' }, 'apps'), { manager: 'fleetgate' });
    c.externalEdit.modify('apps', 'a', { metadata: { annotations: { note: 'hi' } } });
    const snap = JSON.parse(JSON.stringify(c.toSnapshot()));
    const back = SimCluster.fromSnapshot(snap);
    expect(back.getNetworkPolicy('apps', 'a')).toEqual(c.getNetworkPolicy('apps', 'a'));
    expect(back.listNamespaces()).toEqual(c.listNamespaces());
    expect(back.token).toBe('t');
    expect(back.resourceVersion).toBe(c.resourceVersion);
    // Ownership survived: fleetgate's apply still conflicts with nobody on its own field.
    expect(() => back.applyNetworkPolicy('apps', 'a', np('a', { podSelector: {} }, { l: 'v' }, 'apps'), { manager: 'fleetgate' })).not.toThrow();
  });
});
