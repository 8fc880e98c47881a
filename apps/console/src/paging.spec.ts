import { describe, expect, it } from 'vitest';
import { type Connection, mergePages } from './paging.js';

const page = (ids: string[], hasNextPage: boolean, endCursor: string | null): Connection<{ id: string }> => ({ edges: ids.map((id) => ({ node: { id } })), pageInfo: { hasNextPage, endCursor } });

describe('mergePages', () => {
  it('has nothing to load before the first page', () => {
    expect(mergePages([])).toEqual({ rows: [], hasNextPage: false, endCursor: null });
  });

  it('appends later pages in order and continues from the last cursor', () => {
    const m = mergePages([page(['a', 'b'], true, 'c1'), page(['c', 'd'], true, 'c2')]);
    expect(m.rows.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(m).toMatchObject({ hasNextPage: true, endCursor: 'c2' });
  });

  it('stops at the last page and drops rows that moved into a later page', () => {
    const m = mergePages([page(['new', 'a'], true, 'c1'), page(['a', 'b'], false, 'c2')]);
    expect(m.rows.map((r) => r.id)).toEqual(['new', 'a', 'b']);
    expect(m).toMatchObject({ hasNextPage: false, endCursor: 'c2' });
  });
});
