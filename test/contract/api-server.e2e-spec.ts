import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkPolicy } from '@fleetgate/kube';
import { contractTarget, failure, policy, rawRequest, type ContractTarget } from './support.js';

// What a Kubernetes API server does with namespaces and NetworkPolicies, written once. Runs
// against the simulator, or against the cluster in KUBE_CONTRACT_KUBECONFIG.
let t: ContractTarget;

beforeAll(async () => {
  t = await contractTarget();
});
afterAll(async () => {
  await t?.cleanup();
});

const TCP_8080 = { ingress: [{ ports: [{ port: 8080, protocol: 'TCP' as const }] }] };
const managers = (p: NetworkPolicy) => (p.metadata.managedFields ?? []).map((m) => `${m.manager}/${m.operation}`).sort();
const entry = (p: NetworkPolicy, manager: string) => (p.metadata.managedFields ?? []).find((m) => m.manager === manager);

describe('namespaces', () => {
  it('sets kubernetes.io/metadata.name and selects by label', async () => {
    const ns = await t.client.getNamespace(t.namespace);
    expect(ns.metadata.labels?.['kubernetes.io/metadata.name']).toBe(t.namespace);
    expect(ns.status?.phase).toBe('Active');
    const listed = await t.client.listNamespaces(`fleetgate.io/contract-run=${t.runId}`);
    expect(listed.map((n) => n.metadata.name).sort()).toEqual([t.namespace, t.otherNamespace].sort());
  });

  it('404s a policy created in a namespace that does not exist', async () => {
    const err = await failure(t.client.createNetworkPolicy(policy(t, 'orphan', {}, {}, `${t.namespace}-missing`)));
    expect(err).toMatchObject({ status: 404, reason: 'NotFound', kind: 'not-found' });
    expect(err.message).toBe(`namespaces "${t.namespace}-missing" not found`);
  });
});

describe('create, read, update, delete', () => {
  it('creates with server-set metadata and reads it back', async () => {
    const created = await t.client.createNetworkPolicy(policy(t, 'crud'), { fieldManager: 'contract-create' });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(managers(created)).toEqual(['contract-create/Update']);
    const got = await t.client.getNetworkPolicy(t.namespace, 'crud');
    expect(got.metadata.uid).toBe(created.metadata.uid);
    expect(got.spec).toEqual(created.spec);
  });

  it('refuses a second create with 409 AlreadyExists', async () => {
    const err = await failure(t.client.createNetworkPolicy(policy(t, 'crud')));
    expect(err).toMatchObject({ status: 409, reason: 'AlreadyExists', kind: 'conflict' });
    expect(err.message).toBe('networkpolicies.networking.k8s.io "crud" already exists');
  });

  it('updates with the current resourceVersion and 409s a stale one', async () => {
    const cur = await t.client.getNetworkPolicy(t.namespace, 'crud');
    const next = structuredClone(cur);
    next.spec = { ...next.spec!, ingress: [{ ports: [{ port: 9090, protocol: 'TCP' }] }] };
    const updated = await t.client.replaceNetworkPolicy(next);
    expect(updated.metadata.generation).toBe(2);
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(cur.metadata.resourceVersion));
    const stale = await failure(t.client.replaceNetworkPolicy(next));
    expect(stale).toMatchObject({ status: 409, reason: 'Conflict' });
    expect(stale.message).toBe(
      'Operation cannot be fulfilled on networkpolicies.networking.k8s.io "crud": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('bumps generation only when the spec changes', async () => {
    const before = await t.client.getNetworkPolicy(t.namespace, 'crud');
    const labelled = await t.client.patchNetworkPolicy(t.namespace, 'crud', { type: 'merge', patch: { metadata: { labels: { extra: 'yes' } } } });
    expect(labelled.metadata.generation).toBe(before.metadata.generation);
    expect(labelled.metadata.resourceVersion).not.toBe(before.metadata.resourceVersion);
    const specChanged = await t.client.patchNetworkPolicy(t.namespace, 'crud', { type: 'json', patch: [{ op: 'replace', path: '/spec/podSelector', value: { matchLabels: { app: 'other' } } }] });
    expect(specChanged.metadata.generation).toBe((before.metadata.generation ?? 0) + 1);
  });

  it('refuses a JSON patch whose test fails with 422', async () => {
    const err = await failure(t.client.patchNetworkPolicy(t.namespace, 'crud', { type: 'json', patch: [{ op: 'test', path: '/metadata/labels/extra', value: 'no' }] }));
    expect(err.status).toBe(422);
  });

  it('deletes, then 404s with a NotFound Status', async () => {
    await t.client.deleteNetworkPolicy(t.namespace, 'crud');
    const err = await failure(t.client.getNetworkPolicy(t.namespace, 'crud'));
    expect(err).toMatchObject({ status: 404, reason: 'NotFound', kind: 'not-found', retryable: false });
    expect(err.message).toBe('networkpolicies.networking.k8s.io "crud" not found');
    expect(await failure(t.client.deleteNetworkPolicy(t.namespace, 'crud'))).toMatchObject({ status: 404 });
  });
});

describe('defaulting and validation', () => {
  it('defaults protocol and policyTypes, and reads them back', async () => {
    const p = policy(t, 'defaults', { ingress: [{ ports: [{ port: 443 }] }], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 53, protocol: 'UDP' }] }] });
    const created = await t.client.createNetworkPolicy(p);
    expect(created.spec?.ingress?.[0]?.ports?.[0]).toEqual({ port: 443, protocol: 'TCP' });
    expect(created.spec?.egress?.[0]?.ports?.[0]).toEqual({ port: 53, protocol: 'UDP' });
    expect(created.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    const ingressOnly = await t.client.createNetworkPolicy(policy(t, 'defaults-ingress', { ingress: [] }));
    expect(ingressOnly.spec?.policyTypes).toEqual(['Ingress']);
  });

  it('rejects invalid policies with 422, the field paths and the server message', async () => {
    const bad = policy(t, 'invalid', {
      ingress: [{ ports: [{ port: 70000 }], from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }],
      policyTypes: ['Sideways' as 'Ingress'],
    });
    const err = await failure(t.client.createNetworkPolicy(bad));
    expect(err).toMatchObject({ status: 422, reason: 'Invalid', kind: 'invalid', retryable: false });
    // 1.26 still names the kind by its old group (observed on kube-apiserver v1.26.1); later versions by networking.k8s.io.
    const group = t.minor <= 26 ? 'extensions' : 'networking.k8s.io';
    expect(err.message).toBe(
      `NetworkPolicy.${group} "invalid" is invalid: [spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": not a valid CIDR, spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"]`,
    );
    const raw = await rawRequest(t, 'POST', `/apis/networking.k8s.io/v1/namespaces/${t.namespace}/networkpolicies`, { body: bad });
    expect(raw.json()).toMatchObject({ code: 422, reason: 'Invalid', details: { name: 'invalid', group, kind: 'NetworkPolicy' } });
    const fields = err.causes.map((c) => c.field);
    expect(fields).toEqual(expect.arrayContaining(['spec.ingress[0].ports[0].port', 'spec.ingress[0].from[0].ipBlock.cidr', 'spec.policyTypes[0]']));
    expect(err.causes.find((c) => c.field === 'spec.policyTypes[0]')?.reason).toBe('FieldValueNotSupported');
    expect(await t.client.findNetworkPolicy(t.namespace, 'invalid')).toBeUndefined();
  });

  it('reads `spec: {}` back with podSelector {} and policyTypes [Ingress]', async () => {
    const created = await t.client.createNetworkPolicy({ ...policy(t, 'empty-spec'), spec: {} as never });
    expect(created.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect((await t.client.getNetworkPolicy(t.namespace, 'empty-spec')).spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });

  it('rejects an invalid apply the same way', async () => {
    const err = await failure(t.client.applyNetworkPolicy(policy(t, 'invalid-apply', { podSelector: { matchLabels: { 'bad key!': 'x' } } }), { fieldManager: 'contract' }));
    expect(err.status).toBe(422);
    expect(err.causes.map((c) => c.field)).toContain('spec.podSelector.matchLabels');
  });
});

describe('server-side apply', () => {
  it('creates, records Apply ownership of atomic spec fields and label keys', async () => {
    const applied = await t.client.applyNetworkPolicy(policy(t, 'ssa', {}, { team: 'a' }), { fieldManager: 'owner-a' });
    expect(applied.metadata.generation).toBe(1);
    const e = entry(applied, 'owner-a');
    expect(e?.operation).toBe('Apply');
    expect(e?.fieldsV1).toEqual({
      'f:metadata': { 'f:labels': { 'f:fleetgate.io/contract-run': {}, 'f:team': {} } },
      'f:spec': { 'f:ingress': {}, 'f:podSelector': {} },
    });
    // Defaulted fields are owned by nobody.
    expect(applied.spec?.policyTypes).toEqual(['Ingress']);
  });

  it('re-applying the same configuration changes nothing', async () => {
    const before = await t.client.getNetworkPolicy(t.namespace, 'ssa');
    const again = await t.client.applyNetworkPolicy(policy(t, 'ssa', {}, { team: 'a' }), { fieldManager: 'owner-a' });
    expect(again.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(again.metadata.generation).toBe(before.metadata.generation);
  });

  it('compares another manager’s apply with the stored, defaulted value: without protocol 409, with it shared ownership', async () => {
    // policy(t, 'ssa') applies `ports: [{port: 8080}]`; the server stored `protocol: TCP` too.
    const undefaulted = await failure(t.client.applyNetworkPolicy(policy(t, 'ssa', {}, {}), { fieldManager: 'owner-b' }));
    expect(undefaulted).toMatchObject({ status: 409, reason: 'Conflict' });
    expect(undefaulted.message).toBe('Apply failed with 1 conflict: conflict with "owner-a": .spec.ingress');
    const shared = await t.client.applyNetworkPolicy(policy(t, 'ssa', { ingress: [{ ports: [{ port: 8080, protocol: 'TCP' }] }] }, {}), { fieldManager: 'owner-b' });
    expect(managers(shared)).toEqual(['owner-a/Apply', 'owner-b/Apply']);
    expect(entry(shared, 'owner-b')?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:fleetgate.io/contract-run': {} } }, 'f:spec': { 'f:ingress': {}, 'f:podSelector': {} } });
  });

  it('409s a change to a field another manager owns, with the real message and causes', async () => {
    const conflicting = policy(t, 'ssa', { ingress: [{ ports: [{ port: 1234 }] }] });
    const err = await failure(t.client.applyNetworkPolicy(conflicting, { fieldManager: 'owner-c' }));
    expect(err).toMatchObject({ status: 409, reason: 'Conflict', kind: 'conflict', retryable: false });
    expect(err.message).toBe('Apply failed with 2 conflicts: conflicts with "owner-a":\n- .spec.ingress\nconflicts with "owner-b":\n- .spec.ingress');
    expect(err.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "owner-a"', field: '.spec.ingress' },
      { reason: 'FieldManagerConflict', message: 'conflict with "owner-b"', field: '.spec.ingress' },
    ]);
  });

  it('names an Update manager with its API version, and force takes the field', async () => {
    // owner-b owns .spec.ingress with the defaulted protocol, so owner-a sends it too.
    await t.client.patchNetworkPolicy(t.namespace, 'ssa', { type: 'merge', patch: { spec: { podSelector: { matchLabels: { app: 'edited' } } } } }, { fieldManager: 'kubectl-edit' });
    const err = await failure(t.client.applyNetworkPolicy(policy(t, 'ssa', TCP_8080, { team: 'a' }), { fieldManager: 'owner-a' }));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-edit" using networking.k8s.io/v1: .spec.podSelector');
    expect(err.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using networking.k8s.io/v1', field: '.spec.podSelector' }]);
    const forced = await t.client.applyNetworkPolicy(policy(t, 'ssa', TCP_8080, { team: 'a' }), { fieldManager: 'owner-a', force: true });
    expect(forced.spec?.podSelector).toEqual({ matchLabels: { app: 'ssa' } });
    expect(managers(forced)).not.toContain('kubectl-edit/Update');
  });

  it('removes fields a manager stops applying unless someone else owns them', async () => {
    await t.client.applyNetworkPolicy(policy(t, 'ssa-prune', { egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }, { drop: 'me', keep: 'me' }), { fieldManager: 'pruner' });
    const after = await t.client.applyNetworkPolicy(policy(t, 'ssa-prune', {}, { keep: 'me' }), { fieldManager: 'pruner' });
    expect(after.metadata.labels).toEqual({ 'fleetgate.io/contract-run': t.runId, keep: 'me' });
    expect(after.spec?.egress).toBeUndefined();
    expect(after.metadata.generation).toBe(2);
  });

  it('dry-run apply answers like a real apply and stores nothing', async () => {
    const before = await t.client.getNetworkPolicy(t.namespace, 'ssa');
    const dry = await t.client.applyNetworkPolicy(policy(t, 'ssa', { ingress: [{ ports: [{ port: 1 }] }] }, { team: 'a' }), { fieldManager: 'owner-a', force: true, dryRun: true });
    expect(dry.spec?.ingress?.[0]?.ports?.[0]?.port).toBe(1);
    const after = await t.client.getNetworkPolicy(t.namespace, 'ssa');
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.spec).toEqual(before.spec);
    const dryNew = await t.client.applyNetworkPolicy(policy(t, 'ssa-dry-new'), { fieldManager: 'owner-a', dryRun: true });
    expect(dryNew.metadata.name).toBe('ssa-dry-new');
    expect(await t.client.findNetworkPolicy(t.namespace, 'ssa-dry-new')).toBeUndefined();
  });
});

describe('dry-run on other writes', () => {
  it('create and delete with dryRun=All store nothing', async () => {
    const dry = await t.client.createNetworkPolicy(policy(t, 'dry'), { dryRun: true });
    expect(dry.metadata.name).toBe('dry');
    expect(await t.client.findNetworkPolicy(t.namespace, 'dry')).toBeUndefined();
    await t.client.createNetworkPolicy(policy(t, 'dry'));
    await t.client.deleteNetworkPolicy(t.namespace, 'dry', { dryRun: true });
    expect(await t.client.findNetworkPolicy(t.namespace, 'dry')).toBeDefined();
  });
});

describe('listing', () => {
  beforeAll(async () => {
    for (const [name, tier] of [['sel-a', 'a'], ['sel-b', 'b'], ['sel-c', 'c']] as const) await t.client.createNetworkPolicy(policy(t, name, {}, { tier, group: 'sel' }));
    await t.client.createNetworkPolicy(policy(t, 'sel-other-ns', {}, { tier: 'a', group: 'sel' }, t.otherNamespace));
    for (let i = 0; i < 5; i++) await t.client.createNetworkPolicy(policy(t, `page-${i}`, {}, { group: 'page' }));
  });

  const names = (ps: NetworkPolicy[]) => ps.map((p) => p.metadata.name);

  it('filters by label selector, equality and set based', async () => {
    const ns = t.namespace;
    expect(names(await t.client.listNetworkPolicies({ namespace: ns, labelSelector: 'group=sel,tier=a' }))).toEqual(['sel-a']);
    expect(names(await t.client.listNetworkPolicies({ namespace: ns, labelSelector: 'group=sel,tier in (a, c)' }))).toEqual(['sel-a', 'sel-c']);
    expect(names(await t.client.listNetworkPolicies({ namespace: ns, labelSelector: 'group=sel,tier!=a' }))).toEqual(['sel-b', 'sel-c']);
    expect(names(await t.client.listNetworkPolicies({ namespace: ns, labelSelector: 'group=page,!tier' }))).toHaveLength(5);
    const err = await failure(t.client.listNetworkPolicies({ namespace: ns, labelSelector: 'tier in (a' }));
    expect(err).toMatchObject({ status: 400, reason: 'BadRequest' });
  });

  it('lists across namespaces and filters by field selector', async () => {
    const all = await t.client.listNetworkPolicies({ labelSelector: `fleetgate.io/contract-run=${t.runId},group=sel,tier=a` });
    expect(all.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort()).toEqual([`${t.namespace}/sel-a`, `${t.otherNamespace}/sel-other-ns`].sort());
    const byName = await t.client.listNetworkPolicies({ fieldSelector: `metadata.name=sel-b,metadata.namespace=${t.namespace}` });
    expect(names(byName)).toEqual(['sel-b']);
    const notOurs = await t.client.listNetworkPolicies({ namespace: t.namespace, labelSelector: 'group=sel', fieldSelector: 'metadata.name!=sel-b' });
    expect(names(notOurs)).toEqual(['sel-a', 'sel-c']);
    const err = await failure(t.client.listNetworkPolicies({ namespace: t.namespace, fieldSelector: 'spec.podSelector=x' }));
    expect(err).toMatchObject({ status: 400, reason: 'BadRequest' });
    expect(err.message).toBe('"spec.podSelector" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('pages with limit and continue, in order, without repeats', async () => {
    const first = await t.client.listNetworkPoliciesPage({ namespace: t.namespace, labelSelector: 'group=page', limit: 2 });
    expect(names(first.items)).toEqual(['page-0', 'page-1']);
    expect(first.continue).toBeTruthy();
    const seen = [...names(first.items)];
    let cont = first.continue;
    while (cont) {
      const page = await t.client.listNetworkPoliciesPage({ namespace: t.namespace, labelSelector: 'group=page', limit: 2, continue: cont });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...names(page.items));
      cont = page.continue;
    }
    expect(seen).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    // The client's own list follows continue too.
    expect(names(await t.client.listNetworkPolicies({ namespace: t.namespace, labelSelector: 'group=page' }))).toHaveLength(5);
  });
});
