// setExplicitValues (plain SQL upsert over one JSON parameter) on real Postgres.
import { createTestDatabase, type TestDatabase } from '@fleetgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetgateConfig } from '../config/index.js';
import { PrismaService } from '../prisma/index.js';
import { FeatureGateRepository } from './feature-gate.repository.js';

let db: TestDatabase;
let prisma: PrismaService;
let repo: FeatureGateRepository;
const ids: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = new PrismaService({ databaseUrl: db.url } as FleetgateConfig);
  repo = new FeatureGateRepository(prisma);
  for (const name of ['a', 'b']) {
    const c = await prisma.client.cluster.create({ data: { name, role: 'user', server: 'https://127.0.0.1:1', credentialCiphertext: 'x', credentialKeyId: 'k', credentialFingerprint: 'f' } });
    ids.push(c.id);
  }
  await repo.createDefinition({ key: 'g1', description: 'g1', defaultValue: false, builtIn: false });
  await repo.createDefinition({ key: 'g2', description: 'g2', defaultValue: true, builtIn: false });
});
afterAll(async () => {
  await prisma?.onModuleDestroy();
  await db?.drop();
});

describe('FeatureGateRepository.setExplicitValues', () => {
  it('inserts and overwrites values of many clusters, as explicit, with the rollout that set them', async () => {
    const [a, b] = ids as [string, string];
    await repo.insertValues([{ clusterId: a, key: 'g1', enabled: false, source: 'seedTemplate', since: new Date(0), rolloutId: null }]);
    await repo.setExplicitValues([
      { clusterId: a, key: 'g1', enabled: true, rolloutId: 'r1' },
      { clusterId: b, key: 'g1', enabled: true, rolloutId: 'r1' },
      { clusterId: b, key: 'g2', enabled: false, rolloutId: 'r1' },
    ]);
    const values = await repo.valuesOf([a, b]);
    const name = (id: string) => (id === a ? 'a' : 'b');
    expect(values.map((v) => `${name(v.clusterId)} ${v.key} ${v.enabled} ${v.source} ${v.rolloutId}`).sort()).toEqual(['a g1 true explicit r1', 'b g1 true explicit r1', 'b g2 false explicit r1']);
    expect(values.find((v) => v.clusterId === a)?.since.getTime()).toBeGreaterThan(0);
    await repo.setExplicitValues([]);
    expect(await repo.valuesOf([a, b])).toHaveLength(3);
  });
});
