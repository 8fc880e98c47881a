// Issue 5 over GraphQL: cluster { featureGates desiredPolicies }, the fleet view, templates and
// bindings, error codes, and DataLoader use: a page of 100 clusters with gates and desired-policy
// counts runs the same (small) number of SQL queries as a page of 10.
import { type Actor, ClusterService, systemActor } from '@fleetgate/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, bootApi } from './support/api-app.js';
import { seedBody } from './support/clusters.fixtures.js';
import { portVersion, userBody } from './support/policies.fixtures.js';

let api: TestApi;
let seedName: string;
const admin: Actor = systemActor('test');

// Every statement any pg client of this process sends (the API's Prisma adapter included).
let statements = 0;
const seen: string[] = [];
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  const q = args[0] as string | { text?: string };
  seen.push((typeof q === 'string' ? q : (q?.text ?? '')).slice(0, 120));
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

beforeAll(async () => {
  api = await bootApi();
  const clusters = api.app.get(ClusterService);
  const seed = await clusters.register(admin, seedBody() as never);
  seedName = seed.name;
  for (let i = 0; i < 110; i++) {
    await clusters.register(admin, userBody(seed.name, { name: `fleet-${String(i).padStart(3, '0')}`, featureGates: { apiserverNetworkPolicy: i % 2 === 0 } }) as never);
  }
}, 120_000);
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await api?.close();
});

const PAGE = `query Page($first: Int!) {
  clusters(first: $first, role: user) {
    edges { node { name featureGates { key enabled source since } desiredPolicyCount } }
  }
}`;

describe('GraphQL cluster fields', () => {
  it('answers featureGates and desiredPolicies with target, hash and origin', async () => {
    const r = await api.gql('viewer', `{ cluster(name: "fleet-000") { featureGates { key enabled source since } desiredPolicies { name hash target { cluster namespace namespaceRule } origin { binding template version gate } driftMode } } }`);
    expect(r.errors).toBeUndefined();
    const c = r.data!.cluster as { featureGates: { key: string; enabled: boolean; source: string }[]; desiredPolicies: { name: string; target: unknown; origin: unknown }[] };
    expect(c.featureGates.find((g) => g.key === 'apiserverNetworkPolicy')).toMatchObject({ enabled: true, source: 'explicit' });
    expect(c.desiredPolicies).toHaveLength(6);
    expect(c.desiredPolicies[0]).toMatchObject({
      target: { cluster: seedName, namespace: 'cluster-fleet-000', namespaceRule: null },
      origin: { binding: 'kkp-apiserver', template: 'kkp-apiserver', version: 1, gate: 'apiserverNetworkPolicy' },
    });
  });

  it('a page of 100 clusters with gates and desired-policy counts runs as many SQL statements as a page of 10', async () => {
    const run = async (first: number) => {
      const before = statements;
      const r = await api.gql('viewer', PAGE, { first });
      expect(r.errors).toBeUndefined();
      const edges = (r.data!.clusters as { edges: { node: { name: string; featureGates: unknown[]; desiredPolicyCount: number } }[] }).edges;
      expect(edges).toHaveLength(first);
      return { count: statements - before, edges };
    };
    await run(10); // warm-up: the first request may prepare things once
    const ten = await run(10);
    seen.length = 0;
    const hundred = await run(100);
    expect(ten.count).toBeGreaterThan(0);
    expect(hundred.count).toBe(ten.count);
    // Today 20: the token; the page (ids, rows, seed names, enforcement from the inventory); for
    // featureGates: definitions and values; for desiredPolicyCount: clusters (+ seed names,
    // enforcement), their seeds (+ names, enforcement), definitions, values, the inventories the
    // derived policies come from, bindings with versions and templates. A fixed handful, whatever
    // the page size.
    expect(hundred.count, seen.join('\n')).toBeLessThanOrEqual(20);
    expect(seen.filter((q) => q.includes('cluster_feature_gates'))).toHaveLength(2);
    expect(seen.filter((q) => q.includes('policy_bindings'))).toHaveLength(1);
    const counts = hundred.edges.map((e) => e.node.desiredPolicyCount);
    expect(counts.filter((n) => n === 6)).toHaveLength(50);
    expect(counts.filter((n) => n === 0)).toHaveLength(50);
    expect(hundred.edges[0]!.node.featureGates.length).toBeGreaterThanOrEqual(3);
  });

  it('fleet view of a gate with counts and clusters resolved through the loader', async () => {
    const r = await api.gql('viewer', `{ featureGateClusters(key: "apiserverNetworkPolicy", labelSelector: "env=prod", role: user, enabled: true, first: 5) { on off total gate { key default } edges { cursor node { name enabled source cluster { name role } } } pageInfo { hasNextPage endCursor } } }`);
    expect(r.errors).toBeUndefined();
    const v = r.data!.featureGateClusters as { on: number; off: number; total: number; edges: { node: { name: string; cluster: { name: string } } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    expect(v).toMatchObject({ on: 55, off: 55, total: 110 });
    expect(v.edges).toHaveLength(5);
    expect(v.edges[0]!.node).toMatchObject({ name: 'fleet-000', enabled: true, source: 'explicit', cluster: { name: 'fleet-000', role: 'user' } });
    expect(v.pageInfo).toEqual({ hasNextPage: true, endCursor: expect.any(String) });
  });
});

describe('GraphQL templates and bindings', () => {
  it('creates a template, publishes versions, diffs them, binds and reports affected clusters', async () => {
    const created = await api.gql('admin', `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { template { name latestVersion builtIn } version { version changelog author } } }`, {
      input: { name: 'gql-web', description: 'web ingress', initialVersion: portVersion() },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createTemplate).toMatchObject({ template: { name: 'gql-web', latestVersion: 1, builtIn: false }, version: { version: 1, author: 'admin' } });

    const v2 = await api.gql('admin', `mutation($input: PublishVersionInput!) { publishTemplateVersion(template: "gql-web", input: $input) { version } }`, {
      input: portVersion({ changelog: 'port 9090', parameters: [{ name: 'port', type: 'port', default: 9090 }, { name: 'appLabels', type: 'labels', default: { app: 'web' } }] }),
    });
    expect(v2.data!.publishTemplateVersion).toEqual({ version: 2 });
    const diff = await api.gql('viewer', `{ templateDiff(template: "gql-web", from: 1, to: 2) { from to changelog { version changelog } parameters { path op from to } } }`);
    expect(diff.data!.templateDiff).toEqual({ from: 1, to: 2, changelog: [{ version: 2, changelog: 'port 9090' }], parameters: [{ path: '[0].default', op: 'change', from: 8080, to: 9090 }] });

    const bad = await api.gql('admin', `mutation($input: PublishVersionInput!) { publishTemplateVersion(template: "gql-web", input: $input) { version } }`, {
      input: portVersion({ parameters: [{ name: 'port', type: 'port', default: 70000 }, { name: 'appLabels', type: 'labels' }] }),
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_POLICY', errors: [{ field: 'parameters[0].default' }] });

    const bind = await api.gql('admin', `mutation($input: CreateBindingInput!) { createBinding(input: $input) { binding { name version driftMode } affectedClusterCount affectedClusters { name } } }`, {
      input: { name: 'gql-web', template: 'gql-web', version: 1, clusterSelector: 'env=prod', clusterRole: 'user', placement: { kind: 'namespaces', names: ['web'] }, driftMode: 'inform' },
    });
    expect(bind.errors).toBeUndefined();
    expect(bind.data!.createBinding).toMatchObject({ binding: { name: 'gql-web', version: 1, driftMode: 'inform' }, affectedClusterCount: 110 });
    expect((bind.data!.createBinding as { affectedClusters: unknown[] }).affectedClusters).toHaveLength(20);

    const moved = await api.gql('admin', `mutation { updateBinding(ref: "gql-web", input: { version: 2 }) { binding { version } affectedClusterCount } }`);
    expect(moved.data!.updateBinding).toEqual({ binding: { version: 2 }, affectedClusterCount: 110 });
    const same = await api.gql('admin', `mutation { updateBinding(ref: "gql-web", input: { description: "only words" }) { affectedClusterCount } }`);
    expect(same.data!.updateBinding).toEqual({ affectedClusterCount: 0 });

    const typeError = await api.gql('admin', `mutation { updateBinding(ref: "gql-web", input: { parameters: { port: "not a port!" } }) { affectedClusterCount } }`);
    expect(typeError.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ field: 'parameters.port' }] });

    const viewerTry = await api.gql('viewer', `mutation { deleteBinding(ref: "gql-web") { affectedClusterCount } }`);
    expect(viewerTry.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const removed = await api.gql('admin', `mutation { deleteBinding(ref: "gql-web") { affectedClusterCount } }`);
    expect(removed.data!.deleteBinding).toEqual({ affectedClusterCount: 110 });
  });

  it('reads templates with versions, renders, lists bindings and gates, and a seed\'s defaulting template', async () => {
    const r = await api.gql('viewer', `{
      template(ref: "kkp-apiserver") { name builtIn pack latestVersion versions(first: 5) { edges { node { version author changelog parameters { name type default } } } pageInfo { hasNextPage } } }
      templates(first: 2) { edges { node { name } } pageInfo { hasNextPage endCursor } }
      bindings(first: 100) { edges { node { name template version gate clusterRole placement driftMode builtIn } } }
      featureGates { edges { node { key default builtIn } } }
      featureGate(key: "apiserverNetworkPolicy") { key description }
      renderTemplateVersion(template: "kkp-apiserver", version: 1, input: { cluster: "fleet-001", parameters: { apiserverLabels: { app: "kube-apiserver" } } }) { cluster namespace items { hash policy } }
      cluster(name: "${seedName}") { defaultingTemplate { seed featureGates { key enabled } } }
    }`);
    expect(r.errors).toBeUndefined();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a deep, test-only look into the response
    const d = r.data as Record<string, any>;
    expect(d.template).toMatchObject({ name: 'kkp-apiserver', builtIn: true, pack: 'kkp-apiserver', latestVersion: 1, versions: { edges: [{ node: { version: 1, author: 'system:api' } }], pageInfo: { hasNextPage: false } } });
    expect(d.template.versions.edges[0].node.parameters[0]).toEqual({ name: 'apiserverLabels', type: 'labels', default: { app: 'apiserver' } });
    expect(d.templates.edges).toHaveLength(2);
    expect(d.templates.pageInfo).toEqual({ hasNextPage: true, endCursor: expect.any(String) });
    const after = await api.gql('viewer', `query($a: String) { templates(first: 1, after: $a) { edges { node { name } } } }`, { a: d.templates.pageInfo.endCursor });
    expect((after.data as Record<string, any>).templates.edges[0].node.name > d.templates.edges[1].node.name).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(d.bindings.edges.map((e: { node: unknown }) => e.node).find((b: { name: string }) => b.name === 'kkp-apiserver')).toEqual({
      name: 'kkp-apiserver', template: 'kkp-apiserver', version: 1, gate: 'apiserverNetworkPolicy', clusterRole: 'user', placement: { kind: 'controlPlaneNamespace' }, driftMode: 'enforce', builtIn: true,
    });
    expect(d.featureGates.edges.map((e: { node: { key: string } }) => e.node.key)).toEqual(expect.arrayContaining(['apiserverNetworkPolicy', 'gardenerGeneralPolicies', 'shootSystemPolicies']));
    expect(d.renderTemplateVersion).toMatchObject({ cluster: 'fleet-001', namespace: 'cluster-fleet-001' });
    expect(d.renderTemplateVersion.items).toHaveLength(6);
    expect(d.renderTemplateVersion.items[0].policy.spec.podSelector).toEqual({ matchLabels: { app: 'kube-apiserver' } });
    expect(d.cluster.defaultingTemplate).toEqual({ seed: seedName, featureGates: [] });
    const missing = await api.gql('viewer', '{ template(ref: "nope") { name } }');
    expect(missing.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
  });

  it('registers a cluster with explicit gates and sets a defaulting template', async () => {
    const r = await api.gql('admin', `mutation($s: String!) { setDefaultingTemplate(seed: $s, featureGates: [{ key: "shootSystemPolicies", enabled: true }]) { seed appliesTo existingUserClustersUnchanged featureGates { key enabled } } }`, { s: seedName });
    expect(r.errors).toBeUndefined();
    expect(r.data!.setDefaultingTemplate).toMatchObject({ appliesTo: 'clusters registered from now on', existingUserClustersUnchanged: 110, featureGates: [{ key: 'shootSystemPolicies', enabled: true }] });
    const body = userBody(seedName) as { name: string; credentials: { server: string; token: string } };
    const reg = await api.gql('admin', `mutation($input: RegisterClusterInput!) { registerCluster(input: $input) { name featureGates { key enabled source } } }`, {
      input: { name: body.name, role: 'user', seed: seedName, credentials: body.credentials, featureGates: [{ key: 'apiserverNetworkPolicy', enabled: true }] },
    });
    expect(reg.errors).toBeUndefined();
    const gates = (reg.data!.registerCluster as { featureGates: { key: string; enabled: boolean; source: string }[] }).featureGates;
    expect(gates.find((g) => g.key === 'apiserverNetworkPolicy')).toEqual({ key: 'apiserverNetworkPolicy', enabled: true, source: 'explicit' });
    expect(gates.find((g) => g.key === 'shootSystemPolicies')).toEqual({ key: 'shootSystemPolicies', enabled: true, source: 'seedTemplate' });
    expect(gates.find((g) => g.key === 'gardenerGeneralPolicies')).toEqual({ key: 'gardenerGeneralPolicies', enabled: false, source: 'default' });
  });
});
