import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/index.js';
import { decodeCursor, encodeCursor, pageSize, toPage } from './cursor.mapper.js';

describe('cursor pagination', () => {
  it('round-trips cursors and rejects foreign ones on the cursor field', () => {
    const schema = z.object({ name: z.string() });
    expect(decodeCursor(encodeCursor({ name: 'a' }), schema)).toEqual({ name: 'a' });
    for (const bad of ['%%%', encodeCursor({ id: 1 }), 'bm90IGpzb24']) {
      try {
        decodeCursor(bad, schema);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).errors[0]?.field).toBe('cursor');
      }
    }
  });

  it('caps page sizes', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize('100')).toBe(100);
    for (const bad of [0, 101, '1.5', 'x', -1]) expect(() => pageSize(bad)).toThrow(DomainError);
  });

  it('gives a next cursor only when more rows follow', () => {
    expect(toPage([1, 2, 3], 2, (n) => ({ n }), (n) => n * 10)).toEqual({ items: [10, 20], nextCursor: encodeCursor({ n: 2 }) });
    expect(toPage([1, 2], 2, (n) => ({ n }), (n) => n)).toEqual({ items: [1, 2], nextCursor: null });
  });
});
