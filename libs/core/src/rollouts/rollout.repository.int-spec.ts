// The raw-SQL statements of the rollout repository on real Postgres: the batched claim (per-cluster
// order across rollouts), the batched finish (exactly one result), queueing and the sweep's query.
import { createTestDatabase, type TestDatabase } from '@fleetgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetgateConfig } from '../config/index.js';
import { PrismaService } from '../prisma/index.js';
import type { Rollout, TargetResult } from './rollout.model.js';
import { RolloutRepository } from './rollout.repository.js';
import { normalizeStrategy } from './rollout-strategy.builder.js';

let db: TestDatabase;
let prisma: PrismaService;
let repo: RolloutRepository;
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = new PrismaService({ databaseUrl: db.url } as FleetgateConfig);
  repo = new RolloutRepository(prisma);
  for (const name of ['a', 'b', 'c']) {
    const c = await prisma.client.cluster.create({ data: { name, role: 'user', server: 'https://127.0.0.1:1', credentialCiphertext: 'x', credentialKeyId: 'k', credentialFingerprint: 'f' } });
    ids[name] = c.id;
  }
});
afterAll(async () => {
  await prisma?.onModuleDestroy();
  await db?.drop();
});

async function rollout(names: string[], status: 'running' | 'paused' = 'running'): Promise<Rollout> {
  const r = await prisma.transaction(async () => {
    await repo.lockCreation();
    return repo.create(
      { kind: 'sync', change: { kind: 'sync' }, selection: {}, strategy: normalizeStrategy({ waves: [{ percent: 100 }] }), dryRun: false, waveCount: 1, rollbackOfId: null, createdBy: 'test' },
      names.map((n) => ({ clusterId: ids[n] as string, clusterName: n, wave: 0 })),
    );
  });
  return repo.update(r.id, { status });
}

const ok = (created: number): TargetResult => ({ state: 'succeeded', created, configured: 0, unchanged: 0, pruned: 0, retries: 0, requests: 2, durationMs: 5, error: null, errorKind: null, objects: [{ cluster: 'a', namespace: 'app', name: 'p', action: 'created' }] });

describe('RolloutRepository (raw SQL)', () => {
  it('queueNext queues up to n pending targets in position order; claimMany holds a cluster for the older rollout', async () => {
    const r1 = await rollout(['a', 'b']);
    const r2 = await rollout(['a', 'c']);
    expect(await repo.queueNext(r1.id, 0, 1)).toEqual([ids.a]);
    expect(await repo.queueNext(r1.id, 0, 0)).toEqual([]);
    expect((await repo.queueNext(r1.id, 0, 5)).sort()).toEqual([ids.b]);
    expect((await repo.queueNext(r2.id, 0, 5)).sort()).toEqual([ids.a, ids.c].sort());

    const claimed = await repo.claimMany([
      { rolloutId: r2.id, clusterId: ids.a as string },
      { rolloutId: r1.id, clusterId: ids.a as string },
      { rolloutId: r2.id, clusterId: ids.c as string },
    ]);
    // r2's target on `a` waits for r1's; the others are taken, once each
    expect([...claimed.keys()].sort()).toEqual([`${r1.id}/${ids.a}`, `${r2.id}/${ids.c}`].sort());
    const t = claimed.get(`${r1.id}/${ids.a}`);
    expect(t).toMatchObject({ clusterName: 'a', state: 'running', attempts: 1, before: null, objects: null });
    expect(t?.startedAt).toBeInstanceOf(Date);

    // a re-delivered job claims its running target again (attempts counts it)
    const again = await repo.claimMany([{ rolloutId: r1.id, clusterId: ids.a as string }]);
    expect(again.get(`${r1.id}/${ids.a}`)?.attempts).toBe(2);

    // the sweep's query: queued and running targets of running rollouts
    const open = await repo.openTargets(100);
    expect(open).toEqual(expect.arrayContaining([{ rolloutId: r1.id, clusterId: ids.a }, { rolloutId: r1.id, clusterId: ids.b }, { rolloutId: r2.id, clusterId: ids.a }, { rolloutId: r2.id, clusterId: ids.c }]));

    // finishMany records one result per target; a second result for the same target is ignored
    const target = t as NonNullable<typeof t>;
    const before = { policies: [], gates: { g: null } };
    expect(await repo.finishMany([{ targetId: target.id, result: ok(6), before }])).toEqual(new Set([target.id]));
    expect(await repo.finishMany([{ targetId: target.id, result: { ...ok(1), state: 'failed', error: 'late duplicate', errorKind: 'internal', objects: null }, before: null }])).toEqual(new Set());
    const stored = await repo.target(r1.id, ids.a as string);
    expect(stored).toMatchObject({ state: 'succeeded', created: 6, requests: 2, durationMs: 5, error: null, before, objects: ok(6).objects });
    expect(stored?.finishedAt).toBeInstanceOf(Date);

    // with r1's target on `a` done, r2's can be claimed; a paused rollout's targets cannot
    expect([...(await repo.claimMany([{ rolloutId: r2.id, clusterId: ids.a as string }])).keys()]).toEqual([`${r2.id}/${ids.a}`]);
    await repo.update(r1.id, { status: 'paused' });
    expect((await repo.claimMany([{ rolloutId: r1.id, clusterId: ids.b as string }])).size).toBe(0);
    expect(await repo.openTargets(100)).not.toContainEqual({ rolloutId: r1.id, clusterId: ids.b });
  });

  it('finishMany writes many results in one statement and skips targets that are not running', async () => {
    const r = await rollout(['b', 'c']);
    await repo.queueNext(r.id, 0, 2);
    const all = await repo.targets(r.id, { take: 10 });
    const [tb, tc] = all;
    // only b is claimed (c is queued, not running)
    await prisma.client.rolloutTarget.update({ where: { id: tb?.id }, data: { state: 'running' } });
    const done = await repo.finishMany([
      { targetId: tb?.id as string, result: ok(2), before: null },
      { targetId: tc?.id as string, result: ok(3), before: null },
    ]);
    expect(done).toEqual(new Set([tb?.id]));
    expect((await repo.target(r.id, ids.c as string))?.state).toBe('queued');
    expect(await repo.finishMany([])).toEqual(new Set());
    expect(await repo.claimMany([])).toEqual(new Map());
  });
});
