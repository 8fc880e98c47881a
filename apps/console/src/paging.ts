import type { DocumentNode } from 'graphql';
import { useState } from 'react';
import { type CombinedError, useClient, useQuery } from 'urql';

/** A Relay connection as the API serves it. */
export interface Connection<T> {
  edges: Array<{ node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * The pages loaded so far as one list: rows in page order without duplicates (a row can move into
 * a later page while the first one is refetched live), and the paging state of the last page.
 */
export function mergePages<T extends { id: string }>(pages: Array<Connection<T>>): { rows: T[]; hasNextPage: boolean; endCursor: string | null } {
  const seen = new Set<string>();
  const rows: T[] = [];
  for (const p of pages)
    for (const { node } of p.edges) {
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      rows.push(node);
    }
  const last = pages.at(-1);
  return { rows, hasNextPage: last?.pageInfo.hasNextPage ?? false, endCursor: last?.pageInfo.endCursor ?? null };
}

/**
 * Server-side paging over a connection query that takes `$after`: the first page is a live urql
 * query (refetch it on events), "load more" appends the next page from the last cursor. A change
 * of the other variables starts again from the first page.
 */
export function usePaged<D, T extends { id: string }>(opts: { query: DocumentNode; variables: Record<string, unknown>; pick: (data: D) => Connection<T>; pause?: boolean }) {
  const { query, variables, pick, pause } = opts;
  const client = useClient();
  const [res, refetch] = useQuery<D>({ query, variables: { ...variables, after: null }, pause });
  const key = JSON.stringify(variables);
  const [more, setMore] = useState<{ key: string; pages: Array<Connection<T>> }>({ key, pages: [] });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const extra = more.key === key ? more.pages : [];
  const merged = mergePages(res.data ? [pick(res.data), ...extra] : []);
  const loadMore = async () => {
    if (!merged.endCursor || loading) return;
    setLoading(true);
    const r = await client.query<D>(query, { ...variables, after: merged.endCursor }, { requestPolicy: 'network-only' }).toPromise();
    setLoading(false);
    setError(r.error ?? null);
    if (r.data) {
      const page = pick(r.data);
      setMore((m) => ({ key, pages: [...(m.key === key ? m.pages : []), page] }));
    }
  };
  return { res, refetch, rows: merged.rows, hasNextPage: merged.hasNextPage, loadMore, loadingMore: loading, moreError: error };
}
