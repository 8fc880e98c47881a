// GraphQL at /graphql: the Relay connection with selectors and cursors, cluster(id|name),
// mutations, DataLoader batching of seed/userClusters, depth and complexity limits, error
// extensions, and the committed schema.gql matching the running schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterRepository } from '@fleetgate/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { printCommittedSchema } from '../../apps/api/src/graphql/schema.builder.js';
import { bootApi, type TestApi } from './support/api-app.js';
import { seedBody } from './support/clusters.fixtures.js';

let api: TestApi;
const SEEDS = ['gq-seed-a', 'gq-seed-b', 'gq-seed-c'];

beforeAll(async () => {
  // Apollo includes stack traces unless NODE_ENV is production or test: the API must not, whatever it is.
  vi.stubEnv('NODE_ENV', 'development');
  api = await bootApi();
  for (const seed of SEEDS) {
    expect((await api.as('admin').post('/api/v1/clusters').send(seedBody({ name: seed, labels: { env: 'prod', seed } }))).status).toBe(201);
    for (const i of [1, 2]) {
      const res = await api
        .as('admin')
        .post('/api/v1/clusters')
        .send(seedBody({ name: `${seed}-u${i}`, role: 'user', seed, blockedCIDRs: [], labels: { env: i === 1 ? 'prod' : 'dev' } }));
      expect(res.status).toBe(201);
    }
  }
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await api?.close();
});

describe('errors never carry stack traces', () => {
  it('parse, validation, variable and domain errors keep extensions.code and nothing of the server', async () => {
    const cases = [
      { query: '{ clusters(first: 1) { edges { node { name } }', code: 'GRAPHQL_PARSE_FAILED' },
      { query: '{ clusters { nope } }', code: 'GRAPHQL_VALIDATION_FAILED' },
      { query: 'query($n: Int!) { clusters(first: $n) { edges { cursor } } }', variables: { n: 'x' }, code: 'BAD_USER_INPUT' },
      { query: '{ clusters(labelSelector: "env in (prod") { edges { cursor } } }', code: 'BAD_USER_INPUT' },
    ];
    for (const c of cases) {
      const res = await api.as('viewer').post('/graphql').send({ query: c.query, variables: c.variables });
      const text = JSON.stringify(res.body);
      expect(res.body.errors?.[0]?.extensions?.code, c.query).toBe(c.code);
      expect(text).not.toMatch(/stacktrace|\.ts:\d+|node_modules|at [A-Za-z.]+ \(/);
    }
  });
});

interface Edge {
  cursor: string;
  node: { name: string; role: string; seed: { name: string } | null; userClusters: { name: string }[]; labels: { key: string; value: string }[] };
}
interface Conn {
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const LIST = `query($sel: String, $role: ClusterRole, $seed: String, $first: Int, $after: String) {
  clusters(labelSelector: $sel, role: $role, seed: $seed, first: $first, after: $after) {
    edges { cursor node { name role seed { name } userClusters { name } labels { key value } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('queries', () => {
  it('clusters(labelSelector, role, seed) as a Relay connection', async () => {
    const r = await api.gql('viewer', LIST, { sel: 'env=prod', role: 'user' });
    expect(r.errors).toBeUndefined();
    const conn = r.data?.clusters as Conn;
    expect(conn.edges.map((e) => e.node.name)).toEqual(['gq-seed-a-u1', 'gq-seed-b-u1', 'gq-seed-c-u1']);
    expect(conn.edges[0]?.node.seed).toEqual({ name: 'gq-seed-a' });
    const bySeed = await api.gql('viewer', LIST, { seed: 'gq-seed-b' });
    expect((bySeed.data?.clusters as Conn).edges.map((e) => e.node.name)).toEqual(['gq-seed-b-u1', 'gq-seed-b-u2']);
    const seeds = await api.gql('viewer', LIST, { role: 'seed' });
    const a = (seeds.data?.clusters as Conn).edges.find((e) => e.node.name === 'gq-seed-a');
    expect(a?.node.userClusters.map((u) => u.name)).toEqual(['gq-seed-a-u1', 'gq-seed-a-u2']);
    expect(a?.node.labels).toEqual([{ key: 'env', value: 'prod' }, { key: 'seed', value: 'gq-seed-a' }]);
  });

  it('pages with first/after and endCursor', async () => {
    const names: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r = await api.gql('viewer', LIST, { first: 4, after });
      expect(r.errors).toBeUndefined();
      const conn = r.data?.clusters as Conn;
      names.push(...conn.edges.map((e) => e.node.name));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(names).toHaveLength(9);
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(9);
  });

  it('cluster(id|name)', async () => {
    const byName = await api.gql('viewer', '{ cluster(name: "gq-seed-a-u2") { id name seed { name } controlPlaneNamespace health { status } } }');
    const c = byName.data?.cluster as { id: string; controlPlaneNamespace: string };
    expect(c).toMatchObject({ name: 'gq-seed-a-u2', seed: { name: 'gq-seed-a' }, controlPlaneNamespace: 'cluster-gq-seed-a-u2', health: { status: 'unknown' } });
    const byId = await api.gql('viewer', `{ cluster(id: "${c.id}") { name } }`);
    expect(byId.data?.cluster).toEqual({ name: 'gq-seed-a-u2' });
    expect((await api.gql('viewer', '{ cluster(name: "nope") { name } }')).data?.cluster).toBeNull();
    const both = await api.gql('viewer', `{ cluster(id: "${c.id}", name: "x") { name } }`);
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ field: 'id' }] });
  });

  it('a malformed selector is BAD_USER_INPUT pointing at labelSelector', async () => {
    const r = await api.gql('viewer', LIST, { sel: 'tier in (gold' });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ field: 'labelSelector', message: expect.any(String) }] });
    const big = await api.gql('viewer', LIST, { first: 500 });
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ field: 'limit' }] });
  });

  it('auditEvents newest first, filterable by subject', async () => {
    const r = await api.gql('viewer', '{ auditEvents(subject: "cluster/gq-seed-a", first: 5) { edges { node { action actor subject summary requestId createdAt } } pageInfo { hasNextPage } } }');
    const edges = (r.data?.auditEvents as { edges: { node: { action: string; summary: { name: string } } }[] }).edges;
    expect(edges).toHaveLength(1);
    expect(edges[0]?.node).toMatchObject({ action: 'cluster.register', actor: 'admin', subject: 'cluster/gq-seed-a', summary: { name: 'gq-seed-a' } });
  });
});

describe('DataLoaders', () => {
  it('resolves every seed and every userClusters list of a page in one batch each', async () => {
    const repo = api.app.get(ClusterRepository);
    const byIds = vi.spyOn(repo, 'findByIds');
    const bySeeds = vi.spyOn(repo, 'findBySeedIds');
    try {
      const r = await api.gql('viewer', '{ clusters(first: 50) { edges { node { name seed { name userClusters { name } } userClusters { name seed { name } } } } } }');
      expect(r.errors).toBeUndefined();
      const edges = (r.data?.clusters as Conn).edges;
      expect(edges).toHaveLength(9);
      expect(edges.find((e) => e.node.name === 'gq-seed-c-u2')?.node.seed).toEqual({ name: 'gq-seed-c', userClusters: [{ name: 'gq-seed-c-u1' }, { name: 'gq-seed-c-u2' }] });
      // one page query (list -> findByIds) + one batched seed lookup; one batched userClusters lookup
      expect(byIds).toHaveBeenCalledTimes(2);
      expect(byIds.mock.calls[1]?.[0]).toHaveLength(3);
      expect(bySeeds).toHaveBeenCalledTimes(1);
      expect([...(bySeeds.mock.calls[0]?.[0] ?? [])]).toHaveLength(3);
    } finally {
      byIds.mockRestore();
      bySeeds.mockRestore();
    }
  });

  it('loaders do not leak between requests', async () => {
    const repo = api.app.get(ClusterRepository);
    const bySeeds = vi.spyOn(repo, 'findBySeedIds');
    try {
      await api.gql('viewer', '{ cluster(name: "gq-seed-a") { userClusters { name } } }');
      await api.gql('viewer', '{ cluster(name: "gq-seed-a") { userClusters { name } } }');
      expect(bySeeds).toHaveBeenCalledTimes(2);
    } finally {
      bySeeds.mockRestore();
    }
  });
});

describe('mutations', () => {
  it('registerCluster, updateCluster, probeCluster, deleteCluster', async () => {
    const reg = await api.gql(
      'admin',
      `mutation($input: RegisterClusterInput!) { registerCluster(input: $input) { id name role seed { name } controlPlaneNamespace labels { key value } networks { pods } } }`,
      {
        input: {
          name: 'gq-new',
          role: 'user',
          seed: 'gq-seed-a',
          labels: [{ key: 'env', value: 'qa' }],
          credentials: { server: 'https://127.0.0.1:1', token: 'gql-secret-token-1' },
          networks: { pods: '10.8.0.0/16' },
        },
      },
    );
    expect(reg.errors).toBeUndefined();
    expect(reg.data?.registerCluster).toMatchObject({ name: 'gq-new', role: 'user', seed: { name: 'gq-seed-a' }, controlPlaneNamespace: 'cluster-gq-new', labels: [{ key: 'env', value: 'qa' }], networks: { pods: '10.8.0.0/16' } });
    const upd = await api.gql('admin', 'mutation { updateCluster(name: "gq-new", input: {labels: [{key: "env", value: "prod"}]}) { labels { key value } } }');
    expect(upd.data?.updateCluster).toEqual({ labels: [{ key: 'env', value: 'prod' }] });
    const probe = await api.gql('operator', 'mutation { probeCluster(name: "gq-new") { health { status lastError } } }');
    expect((probe.data?.probeCluster as { health: { status: string } }).health.status).toBe('unreachable');
    const events = await api.gql('viewer', '{ auditEvents(subject: "cluster/gq-new") { edges { node { action actor requestId summary } } } }');
    const nodes = (events.data?.auditEvents as { edges: { node: { action: string; actor: string; requestId: string | null; summary: unknown } }[] }).edges.map((e) => e.node);
    expect(nodes.map((n) => n.action)).toEqual(['cluster.probe', 'cluster.update', 'cluster.register']);
    for (const n of nodes) expect(n.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(nodes)).not.toContain('gql-secret-token-1');
    const del = await api.gql('admin', 'mutation { deleteCluster(name: "gq-new") { name } }');
    expect(del.data?.deleteCluster).toEqual({ name: 'gq-new' });
    expect((await api.gql('viewer', '{ cluster(name: "gq-new") { name } }')).data?.cluster).toBeNull();
  });

  it('validation errors carry extensions.code and the same field list as REST', async () => {
    const r = await api.gql('admin', 'mutation { registerCluster(input: {name: "BAD", role: seed, credentials: {server: "http://x"}, networks: {pods: "nope"}}) { id } }');
    expect(r.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.extensions.errors.map((e) => e.field).sort()).toEqual(['credentials.server', 'credentials.token', 'name', 'networks.pods']);
    const rest = await api.as('admin').post('/api/v1/clusters').send({ name: 'BAD', role: 'seed', credentials: { server: 'http://x' }, networks: { pods: 'nope' } });
    expect(rest.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['credentials.server', 'credentials.token', 'name', 'networks.pods']);
  });

  it('deleting a seed with user clusters is CONFLICT listing them', async () => {
    const r = await api.gql('admin', 'mutation { deleteCluster(name: "gq-seed-b") { id } }');
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', userClusters: ['gq-seed-b-u1', 'gq-seed-b-u2'] });
  });

  it('a GraphQL type error is rejected by GraphQL validation, not a 500', async () => {
    const r = await api.gql('admin', 'mutation { registerCluster(input: {name: 1}) { id } }');
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('limits', () => {
  it('rejects queries nested too deep', async () => {
    const r = await api.gql('viewer', '{ clusters { edges { node { seed { userClusters { seed { userClusters { seed { name } } } } } } } } }');
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.errors?.[0]?.message).toBe('Query depth 9 exceeds the limit of 8');
    expect(r.data).toBeUndefined();
    const ok = await api.gql('viewer', '{ clusters { edges { node { seed { userClusters { seed { name } } } } } } }');
    expect(ok.errors).toBeUndefined();
  });

  it('counts fragments when measuring depth', async () => {
    const r = await api.gql(
      'viewer',
      'query { clusters { edges { node { ...A } } } } fragment A on Cluster { seed { userClusters { seed { userClusters { seed { name } } } } } }',
    );
    expect(r.errors?.[0]?.message).toMatch(/^Query depth 9 exceeds/);
  });

  it('rejects queries that are too expensive, and allows ordinary ones', async () => {
    const r = await api.gql('viewer', '{ clusters(first: 100) { edges { node { userClusters { userClusters { name labels { key } } } } } } }');
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions.code).toBe('QUERY_TOO_COMPLEX');
    const ok = await api.gql('viewer', '{ clusters(first: 100) { edges { node { name userClusters { name } } } } }');
    expect(ok.errors).toBeUndefined();
  });
});

it('the committed apps/api/schema.gql is the running schema', () => {
  const running = printCommittedSchema(api.app.get(GraphQLSchemaHost).schema);
  const committed = readFileSync(join(import.meta.dirname, '..', '..', 'apps', 'api', 'schema.gql'), 'utf8');
  expect(committed).toBe(running);
});
