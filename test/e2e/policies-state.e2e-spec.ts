// Issue 5: Gardener namespace rules, assigned state and plans (the core methods the rollout worker
// calls), gate values set by rollouts, and the built-in catalog installed idempotently.
import { type Actor, AssignedStateService, BuiltInCatalogService, DesiredStateService, DomainError, FeatureGateService, systemActor } from '@fleetgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, bootApi } from './support/api-app.js';
import { seedBody } from './support/clusters.fixtures.js';
import { portVersion, userBody } from './support/policies.fixtures.js';

let api: TestApi;
const worker: Actor = { id: 'system:worker', name: 'system:worker', role: 'operator' };
const viewer: Actor = { id: 'v', name: 'some-viewer', role: 'viewer' };

beforeAll(async () => {
  api = await bootApi();
});
afterAll(async () => {
  await api?.close();
});

type Item = { target: { cluster: string; namespace: string | null; namespaceRule: { globs: string[]; selectors: unknown[] } | null }; name: string; policy: { metadata: Record<string, unknown>; spec: Record<string, unknown> }; origin: { binding: string } };

describe('Gardener', () => {
  it('general policies on a seed: names as namespaces, globs and selectors as rules; shoot kube-system policies on the shoot', async () => {
    const seed = (await api.as('admin').post('/api/v1/clusters').send(seedBody({ featureGates: { gardenerGeneralPolicies: true } })).expect(201)).body as { name: string };
    const desired = await api.as('viewer').get(`/api/v1/clusters/${seed.name}/desired-policies`).expect(200);
    const items = desired.body.items as Item[];
    expect(desired.body.errors).toEqual([]);
    const byTarget = new Map<string, string[]>();
    for (const i of items) byTarget.set(JSON.stringify(i.target), [...(byTarget.get(JSON.stringify(i.target)) ?? []), i.name]);
    const all = ['allow-to-blocked-cidrs', 'allow-to-dns', 'allow-to-private-networks', 'allow-to-public-networks', 'allow-to-runtime-apiserver', 'deny-all'];
    expect(Object.fromEntries(byTarget)).toEqual({
      [JSON.stringify({ cluster: seed.name, namespace: 'garden', namespaceRule: null })]: all,
      [JSON.stringify({ cluster: seed.name, namespace: 'istio-system', namespaceRule: null })]: all,
      [JSON.stringify({ cluster: seed.name, namespace: null, namespaceRule: { globs: ['extension-*', 'istio-ingress-*', 'shoot-*'], selectors: [] } })]: all,
    });
    const rule = items.find((i) => i.target.namespace === null && i.name === 'allow-to-blocked-cidrs')!;
    expect(rule.policy.metadata).not.toHaveProperty('namespace');
    expect(rule.policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }] }]);
    const publicNets = items.find((i) => i.target.namespace === 'garden' && i.name === 'allow-to-public-networks')!;
    expect(publicNets.policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.169.254/32'] } }] }]);

    // additional namespaces by label selector, as Gardener's additionalNamespaceSelectors
    const extra = await api
      .as('admin')
      .post('/api/v1/bindings')
      .send({ name: 'gardener-extra', template: 'gardener-general', version: 1, clusterRole: 'seed', gate: 'gardenerGeneralPolicies', placement: { kind: 'namespaces', selectors: [{ matchLabels: { 'gardener.cloud/role': 'extension' } }] } })
      .expect(201);
    expect(extra.body.affectedClusters).toEqual({ count: 1, items: [expect.objectContaining({ name: seed.name })] });
    const withExtra = (await api.as('viewer').get(`/api/v1/clusters/${seed.name}/desired-policies`).expect(200)).body.items as Item[];
    expect(withExtra.filter((i) => i.origin.binding === 'gardener-extra').map((i) => i.target.namespaceRule)).toEqual(Array(6).fill({ globs: [], selectors: [{ matchLabels: { 'gardener.cloud/role': 'extension' } }] }));

    // the resolved form the applier gets when it knows the seed's namespaces
    const ds = api.app.get(DesiredStateService);
    const seedId = ((await api.as('viewer').get(`/api/v1/clusters/${seed.name}`).expect(200)).body as { id: string }).id;
    const resolved = await ds.forClusterId(worker, seedId, {
      [seed.name]: [{ name: 'garden' }, { name: 'shoot--dev--a' }, { name: 'kube-system' }, { name: 'ext-x', labels: { 'gardener.cloud/role': 'extension' } }],
    });
    const resolvedTargets = [...new Set(resolved.policies.map((p) => `${p.origin.binding}:${p.target.namespace}`))].sort();
    expect(resolvedTargets).toEqual(['gardener-extra:ext-x', 'gardener-general:garden', 'gardener-general:shoot--dev--a']);

    const shoot = (await api.as('admin').post('/api/v1/clusters').send(userBody(seed.name, { featureGates: { shootSystemPolicies: true } })).expect(201)).body as { name: string };
    const shootItems = (await api.as('viewer').get(`/api/v1/clusters/${shoot.name}/desired-policies`).expect(200)).body.items as Item[];
    expect(shootItems).toHaveLength(8);
    expect(new Set(shootItems.map((i) => JSON.stringify(i.target)))).toEqual(new Set([JSON.stringify({ cluster: shoot.name, namespace: 'kube-system', namespaceRule: null })]));
    expect(shootItems.map((i) => i.name)).toContain('gardener.cloud--allow-dns');
  });
});

describe('assigned state, plans and gate values set by rollouts', () => {
  it('records what a rollout put on a cluster; the plan is intended against assigned; used versions are kept', async () => {
    const seed = (await api.as('admin').post('/api/v1/clusters').send(seedBody()).expect(201)).body as { name: string };
    const user = (await api.as('admin').post('/api/v1/clusters').send(userBody(seed.name, { labels: { team: 'shop' } })).expect(201)).body as { id: string; name: string };
    await api.as('admin').post('/api/v1/templates').send({ name: 'shop-web', description: 'x', initialVersion: portVersion() }).expect(201);
    await api.as('admin').post('/api/v1/templates/shop-web/versions').send(portVersion({ changelog: 'v2', parameters: [{ name: 'port', type: 'port', default: 9090 }, { name: 'appLabels', type: 'labels', default: { app: 'web' } }] })).expect(201);
    await api.as('admin').post('/api/v1/bindings').send({ name: 'shop-web', template: 'shop-web', version: 1, clusterSelector: 'team=shop', placement: { kind: 'namespaces', names: ['a', 'b'] } }).expect(201);

    const empty = await api.as('viewer').get(`/api/v1/clusters/${user.name}/plan`).expect(200);
    expect(empty.body.counts).toEqual({ create: 2, update: 0, delete: 0, unchanged: 0 });
    expect(empty.body.items.map((s: { action: string; target: { namespace: string } }) => [s.action, s.target.namespace])).toEqual([['create', 'a'], ['create', 'b']]);

    const assigned = api.app.get(AssignedStateService);
    const desired = await api.app.get(DesiredStateService).forClusterId(worker, user.id);
    await expect(assigned.recordAssigned(viewer, user.id, 'rollout-1', desired.policies)).rejects.toThrow(DomainError);
    await assigned.recordAssigned(worker, user.id, 'rollout-1', desired.policies);
    const list = await api.as('viewer').get(`/api/v1/clusters/${user.name}/assigned-policies`).expect(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items[0]).toMatchObject({ name: 'allow-web', target: { cluster: user.name, namespace: 'a' }, rolloutId: 'rollout-1', origin: { binding: 'shop-web', template: 'shop-web', version: 1 }, hash: desired.policies[0]!.hash });
    expect((await api.as('viewer').get(`/api/v1/clusters/${user.name}/plan`).expect(200)).body.counts).toEqual({ create: 0, update: 0, delete: 0, unchanged: 2 });

    // intent moves on: the plan says what a rollout would do; assigned stays until one does
    await api.as('admin').patch('/api/v1/bindings/shop-web').send({ version: 2, placement: { kind: 'namespaces', names: ['b', 'c'] } }).expect(200);
    const plan = await api.as('viewer').get(`/api/v1/clusters/${user.name}/plan`).expect(200);
    expect(plan.body.items.map((s: { action: string; target: { namespace: string } }) => [s.action, s.target.namespace])).toEqual([['delete', 'a'], ['update', 'b'], ['create', 'c']]);
    const gqlPlan = await api.gql('viewer', `{ cluster(name: "${user.name}") { plan { create update delete unchanged steps { action name target { namespace } } } assignedPolicies { name rolloutId } } }`);
    expect(gqlPlan.data!.cluster).toMatchObject({ plan: { create: 1, update: 1, delete: 1, unchanged: 0 }, assignedPolicies: [{ name: 'allow-web', rolloutId: 'rollout-1' }, { name: 'allow-web', rolloutId: 'rollout-1' }] });

    // version 1 is no longer bound, but the cluster's assigned state still uses it
    const kept = await api.as('admin').delete('/api/v1/templates/shop-web/versions/1').expect(409);
    expect(kept.body).toMatchObject({ bindings: [], assignedClusters: 1 });

    const next = await api.app.get(DesiredStateService).forClusterId(worker, user.id);
    await assigned.recordAssigned(worker, user.id, 'rollout-2', next.policies);
    expect((await api.as('viewer').get(`/api/v1/clusters/${user.name}/plan`).expect(200)).body.counts).toEqual({ create: 0, update: 0, delete: 0, unchanged: 2 });
    await api.as('admin').delete('/api/v1/templates/shop-web/versions/1').expect(204);

    const events = (await api.as('viewer').get(`/api/v1/audit-events?subject=cluster/${user.name}`).expect(200)).body.items as { action: string; actor: string; summary: Record<string, unknown> }[];
    expect(events[0]).toMatchObject({ action: 'cluster.assigned-state.record', actor: 'system:worker', summary: { rolloutId: 'rollout-2', policies: 2, created: [expect.stringContaining('/c/')], deleted: [expect.stringContaining('/a/')] } });
  });

  it('applyAssigned sets a gate value when a rollout reaches the cluster, with the rollout and time; audited', async () => {
    const seed = (await api.as('admin').post('/api/v1/clusters').send(seedBody()).expect(201)).body as { name: string };
    const user = (await api.as('admin').post('/api/v1/clusters').send(userBody(seed.name)).expect(201)).body as { id: string; name: string };
    const gates = api.app.get(FeatureGateService);
    expect((await api.as('viewer').get(`/api/v1/clusters/${user.name}/desired-policies`).expect(200)).body.items).toEqual([]);
    await expect(gates.applyAssigned(viewer, user.id, 'apiserverNetworkPolicy', true, 'r-1')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(gates.applyAssigned(worker, user.id, 'noSuchGate', true, 'r-1')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const set = await gates.applyAssigned(worker, user.id, 'apiserverNetworkPolicy', true, 'rollout-7');
    expect(set).toMatchObject({ key: 'apiserverNetworkPolicy', enabled: true, source: 'explicit', rolloutId: 'rollout-7' });
    const listed = (await api.as('viewer').get(`/api/v1/clusters/${user.name}/feature-gates`).expect(200)).body.items as { key: string }[];
    expect(listed.find((g) => g.key === 'apiserverNetworkPolicy')).toEqual({ key: 'apiserverNetworkPolicy', enabled: true, source: 'explicit', since: set.since!.toISOString(), rolloutId: 'rollout-7' });
    expect((await api.as('viewer').get(`/api/v1/clusters/${user.name}/desired-policies`).expect(200)).body.items).toHaveLength(6);
    const events = (await api.as('viewer').get(`/api/v1/audit-events?subject=cluster/${user.name}`).expect(200)).body.items as { action: string; summary: unknown }[];
    expect(events[0]).toMatchObject({ action: 'cluster.feature-gate.assign', summary: { key: 'apiserverNetworkPolicy', before: null, after: { enabled: true, source: 'explicit' }, rolloutId: 'rollout-7' } });
  });
});

describe('built-in catalog', () => {
  it('is installed once: gates, version 1 of each template, default bindings under their gates', async () => {
    const bindings = (await api.as('viewer').get('/api/v1/bindings?limit=100').expect(200)).body.items as { name: string; builtIn: boolean; gate: string | null; clusterRole: string | null; placement: { kind: string }; version: number }[];
    expect(bindings.filter((b) => b.builtIn).map((b) => [b.name, b.gate, b.clusterRole, b.placement.kind, b.version])).toEqual([
      ['gardener-general', 'gardenerGeneralPolicies', 'seed', 'namespaces', 1],
      ['gardener-service-policies', 'gardenerServicePolicies', null, 'namespaces', 1],
      ['gardener-shoot-system', 'shootSystemPolicies', 'user', 'namespaces', 1],
      ['kkp-apiserver', 'apiserverNetworkPolicy', 'user', 'controlPlaneNamespace', 1],
    ]);
    const gates = (await api.as('viewer').get('/api/v1/feature-gates').expect(200)).body.items as { key: string; builtIn: boolean; default: boolean }[];
    expect(gates.filter((g) => g.builtIn).map((g) => [g.key, g.default])).toEqual([
      ['apiserverNetworkPolicy', false],
      ['gardenerGeneralPolicies', false],
      ['gardenerServicePolicies', false],
      ['shootSystemPolicies', false],
    ]);
    const kkp = await api.as('viewer').get('/api/v1/templates/kkp-apiserver').expect(200);
    expect(kkp.body).toMatchObject({ builtIn: true, pack: 'kkp-apiserver', latestVersion: 1 });

    const count = async () => (await api.sql<{ n: string }>('SELECT (SELECT count(*) FROM policy_templates) + (SELECT count(*) FROM policy_template_versions) + (SELECT count(*) FROM policy_bindings) + (SELECT count(*) FROM feature_gates) AS n'))[0]!.n;
    const before = await count();
    const catalog = api.app.get(BuiltInCatalogService);
    const reports = await Promise.all([catalog.install(systemActor('api-2')), catalog.install(systemActor('api-3'))]);
    expect(reports).toEqual([
      { gates: [], templates: [], versions: [], bindings: [] },
      { gates: [], templates: [], versions: [], bindings: [] },
    ]);
    expect(await count()).toBe(before);
  });

  it('a release whose pack differs adds a version (once, whatever the replicas) and never rewrites one', async () => {
    // pretend version 1 was installed by an older release with other parameters
    await api.sql(`UPDATE policy_template_versions v SET parameters = '[]' FROM policy_templates t WHERE t.id = v.template_id AND t.name = 'gardener-shoot-system' AND v.version = 1`);
    const catalog = api.app.get(BuiltInCatalogService);
    const reports = await Promise.all([catalog.install(systemActor('api-2')), catalog.install(systemActor('api-3')), catalog.install(systemActor('api-4'))]);
    expect(reports.flatMap((r) => r.versions)).toEqual([{ template: 'gardener-shoot-system', version: 2 }]);
    const versions = (await api.as('viewer').get('/api/v1/templates/gardener-shoot-system/versions').expect(200)).body.items as { version: number; parameters: unknown[]; changelog: string }[];
    expect(versions.map((v) => [v.version, v.parameters.length])).toEqual([
      [2, 3],
      [1, 0],
    ]);
    expect(versions[0]!.changelog).toMatch(/updated by a fleetgate release/);
    // the default binding stays pinned: moving it is a rollout's business
    expect((await api.as('viewer').get('/api/v1/bindings/gardener-shoot-system').expect(200)).body.version).toBe(1);
  });
});
