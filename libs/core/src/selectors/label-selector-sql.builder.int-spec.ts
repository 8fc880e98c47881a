// The SQL a label selector becomes must select exactly the label sets that netpol's matcher
// (the API server's semantics) accepts: checked on real Postgres over generated labels and
// selectors.
import { formatSelector, matches, type Requirement } from '@fleetgate/netpol';
import { createTestDatabase, type TestDatabase } from '@fleetgate/testing';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../errors/index.js';
import { Prisma } from '../prisma/index.js';
import { parseLabelSelector, selectorToSql } from './label-selector-sql.builder.js';

let db: TestDatabase;
let client: pg.Client;

const keys = ['env', 'tier', 'example.com/team', 'size'];
const values = ['prod', 'dev', 'gold', '5', '12', '-3', '007', 'x'];

const labelSet = fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 4 });
const requirement: fc.Arbitrary<Requirement> = fc.oneof(
  fc.record({ key: fc.constantFrom(...keys), operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }) }),
  fc.record({ key: fc.constantFrom(...keys), operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const), values: fc.constant<string[]>([]) }),
  fc.record({ key: fc.constantFrom(...keys), operator: fc.constantFrom('Gt' as const, 'Lt' as const), values: fc.tuple(fc.constantFrom('0', '5', '10', '-4')).map((v) => [...v]) }),
);

beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('CREATE TABLE sel (id int PRIMARY KEY, labels jsonb NOT NULL)');
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

async function selectIds(reqs: Requirement[]): Promise<number[]> {
  const where = selectorToSql(reqs, Prisma.sql`labels`);
  const q = Prisma.sql`SELECT id FROM sel WHERE ${where} ORDER BY id`;
  return (await client.query<{ id: number }>(q.text, q.values as unknown[])).rows.map((r) => r.id);
}

describe('selectorToSql', () => {
  it('agrees with netpol matches() on generated labels and selectors', async () => {
    const sets = fc.sample(labelSet, { numRuns: 60, seed: 42 });
    for (const [i, labels] of sets.entries()) await client.query('INSERT INTO sel VALUES ($1, $2)', [i, JSON.stringify(labels)]);
    await fc.assert(
      fc.asyncProperty(fc.array(requirement, { maxLength: 3 }), async (reqs) => {
        const expected = sets.flatMap((labels, i) => (matches(reqs, labels) ? [i] : []));
        expect(await selectIds(reqs), formatSelector(reqs)).toEqual(expected);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('parses the issue example and binds values as parameters', () => {
    const reqs = parseLabelSelector('env=prod,tier in (gold,silver),!legacy');
    expect(reqs.map((r) => r.operator).sort()).toEqual(['DoesNotExist', 'In', 'In']);
    const sql = selectorToSql([{ key: "e'nv", operator: 'In', values: ["x'y"] }], Prisma.sql`labels`);
    expect(sql.text).not.toContain("'y");
    expect(sql.values).toEqual(["e'nv", "e'nv", "x'y"]);
  });

  it('reports a malformed selector on the labelSelector field', () => {
    try {
      parseLabelSelector('tier in (gold');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).errors).toEqual([{ field: 'labelSelector', message: expect.any(String) }]);
    }
  });
});
