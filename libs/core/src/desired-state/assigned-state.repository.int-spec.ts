// replaceMany (plain SQL over one JSON parameter) on real Postgres: what it writes reads back
// through ofClusters exactly, it replaces only the clusters it is given, and clusterIdsHolding.
import { createTestDatabase, type TestDatabase } from '@fleetgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetgateConfig } from '../config/index.js';
import { PrismaService } from '../prisma/index.js';
import { AssignedStateRepository, type DesiredPolicyRow } from './assigned-state.repository.js';

let db: TestDatabase;
let prisma: PrismaService;
let repo: AssignedStateRepository;
let versionId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = new PrismaService({ databaseUrl: db.url } as FleetgateConfig);
  repo = new AssignedStateRepository(prisma);
  for (const name of ['a', 'b']) {
    const c = await prisma.client.cluster.create({ data: { name, role: 'user', server: 'https://127.0.0.1:1', credentialCiphertext: 'x', credentialKeyId: 'k', credentialFingerprint: 'f' } });
    ids[name] = c.id;
  }
  const t = await prisma.client.policyTemplate.create({ data: { name: 't', description: 't', versions: { create: { version: 3, body: [], changelog: 'c', author: 'test' } } }, include: { versions: true } });
  versionId = t.versions[0]?.id as string;
});
afterAll(async () => {
  await prisma?.onModuleDestroy();
  await db?.drop();
});

const policy = (name: string, binding: string, rule: unknown = null): DesiredPolicyRow => ({
  key: `a/app/${name}`,
  target: { cluster: 'a', namespace: 'app', namespaceRule: rule },
  name,
  hash: `h-${name}`,
  policy: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'app', labels: { x: 'y' } }, spec: { podSelector: {} } },
  origin: { binding, template: 't', version: 3, templateVersionId: versionId, gate: binding === 'gated' ? 'g1' : null },
});

describe('AssignedStateRepository.replaceMany', () => {
  it('writes rows that read back exactly and replaces only the given clusters', async () => {
    const ruled = policy('p2', 'gated', { matchLabels: { team: 'x' } });
    await prisma.transaction(() =>
      repo.replaceMany([
        { clusterId: ids.a as string, rolloutId: 'r1', policies: [policy('p1', 'plain'), ruled] },
        { clusterId: ids.b as string, rolloutId: 'r1', policies: [policy('p1', 'plain')] },
      ]),
    );
    const rows = await repo.ofClusters([ids.a as string]);
    expect(rows.map((r) => r.name)).toEqual(['p1', 'p2']);
    expect(rows[1]).toMatchObject({ clusterId: ids.a, key: 'a/app/p2', target: ruled.target, hash: 'h-p2', policy: ruled.policy, origin: ruled.origin, rolloutId: 'r1' });
    expect(rows[0]?.target.namespaceRule).toBeNull();
    expect(rows[0]?.assignedAt).toBeInstanceOf(Date);
    expect((await repo.clusterIdsHolding('gated')).sort()).toEqual([ids.a]);
    expect((await repo.clusterIdsHolding('plain')).sort()).toEqual([ids.a, ids.b].sort());

    await prisma.transaction(() => repo.replaceMany([{ clusterId: ids.a as string, rolloutId: 'r2', policies: [] }]));
    expect(await repo.ofClusters([ids.a as string])).toEqual([]);
    expect((await repo.ofClusters([ids.b as string])).map((r) => r.rolloutId)).toEqual(['r1']);
    expect(await repo.clusterIdsHolding('gated')).toEqual([]);
  });
});
