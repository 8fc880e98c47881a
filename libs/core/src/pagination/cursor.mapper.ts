import { z } from 'zod';
import { DomainError } from '../errors/index.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Opaque cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S, field = 'cursor'): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw DomainError.validation('Invalid cursor', [{ field, message: 'is not a cursor returned by this API' }]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw DomainError.validation('Invalid cursor', [{ field, message: 'is not a cursor returned by this API' }]);
  return result.data;
}

/** Validates a page size: 1..MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE. */
export function pageSize(limit: number | string | undefined | null, field = 'limit'): number {
  if (limit === undefined || limit === null || limit === '') return DEFAULT_PAGE_SIZE;
  const n = typeof limit === 'number' ? limit : /^\d+$/.test(limit) ? Number(limit) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw DomainError.validation('Invalid page size', [{ field, message: `must be an integer between 1 and ${MAX_PAGE_SIZE}` }]);
  }
  return n;
}

/** Given `limit + 1` rows, returns the page and the cursor of its last row when more follow. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => unknown, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(map), nextCursor: more && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
