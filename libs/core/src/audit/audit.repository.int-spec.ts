// insertMany (plain SQL over one JSON parameter) on real Postgres: events read back through list.
import { createTestDatabase, type TestDatabase } from '@fleetgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetgateConfig } from '../config/index.js';
import { PrismaService } from '../prisma/index.js';
import { AuditRepository } from './audit.repository.js';

let db: TestDatabase;
let prisma: PrismaService;
let repo: AuditRepository;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = new PrismaService({ databaseUrl: db.url } as FleetgateConfig);
  repo = new AuditRepository(prisma);
});
afterAll(async () => {
  await prisma?.onModuleDestroy();
  await db?.drop();
});

describe('AuditRepository.insertMany', () => {
  it('writes every event in order, summaries as JSON, no request id', async () => {
    await repo.insertMany([]);
    await repo.insertMany([
      { actor: 'worker', action: 'rollout.target.succeeded', subject: 'rollout/1', summary: { cluster: 'a', created: 6, gates: { before: { g: null }, after: { g: true } } } },
      { actor: 'worker', action: 'rollout.target.failed', subject: 'rollout/1', summary: { cluster: 'b', error: "it's \"quoted\"" } },
    ]);
    const events = await repo.list({ subject: 'rollout/1', take: 10 });
    expect(events.map((e) => [e.action, e.summary, e.requestId])).toEqual([
      ['rollout.target.failed', { cluster: 'b', error: "it's \"quoted\"" }, null],
      ['rollout.target.succeeded', { cluster: 'a', created: 6, gates: { before: { g: null }, after: { g: true } } }, null],
    ]);
  });
});
