import { Args, Query, Resolver } from '@nestjs/graphql';
import { type Actor, AuditService, encodeCursor } from '@fleetgate/core';
import { CurrentActor } from '../common/auth.decorator.js';
import { AuditEventConnection, AuditEventModel, AuditEventsArgs } from './audit-event.model.js';

@Resolver(() => AuditEventModel)
export class AuditEventsResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditEventConnection, {
    description: 'Audit events, newest first',
    complexity: ({ args, childComplexity }) => 1 + Math.min(Number(args.first ?? 20), 100) * Math.max(childComplexity, 1),
  })
  async auditEvents(@CurrentActor() actor: Actor, @Args() args: AuditEventsArgs): Promise<AuditEventConnection> {
    const page = await this.audit.list(actor, { subject: args.subject ?? undefined, actor: args.actor ?? undefined, limit: args.first ?? undefined, cursor: args.after ?? undefined });
    const edges = page.items.map((e) => ({ cursor: encodeCursor({ id: e.id }), node: e }));
    return { edges, pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: page.nextCursor ?? edges.at(-1)?.cursor ?? null } };
  }
}
