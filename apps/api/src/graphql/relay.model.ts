import type { Type } from '@nestjs/common';
import { Field, ObjectType } from '@nestjs/graphql';
import { type Page, encodeCursor } from '@fleetgate/core';

@ObjectType({ description: 'Relay page info' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/**
 * The Relay connection types of one node type (`<Name>Connection`, `<Name>Edge`), so every list in
 * the schema pages the same way: `first`/`after` in, `edges { cursor node }` and `pageInfo` out.
 */
export function ConnectionType<T>(node: Type<T>, name: string): Type<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field({ description: 'pass as `after` to read the items after this one' })
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { isAbstract: false })
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges!: Edge<T>[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionClass;
}

/**
 * A service page as a connection: each edge's cursor is the page cursor of its row (the same
 * opaque key the service encodes), so `after: edge.cursor` continues right after that row.
 */
export function toConnection<R, T>(page: Page<R>, keyOf: (row: R) => unknown, map: (row: R) => T): Connection<T> {
  const edges = page.items.map((row) => ({ cursor: encodeCursor(keyOf(row)), node: map(row) }));
  return { edges, pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** Complexity of a paged field: its page size times what each node costs. */
export const pageComplexity = ({ args, childComplexity }: { args: Record<string, unknown>; childComplexity: number }) =>
  1 + Math.min(Number(args.first ?? 20), 100) * Math.max(childComplexity, 1);
