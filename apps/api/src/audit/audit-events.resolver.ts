import { Args, Query, Resolver } from '@nestjs/graphql';
import { type Actor, AuditService } from '@fleetgate/core';
import { CurrentActor } from '../common/auth.decorator.js';
import { type Connection, pageComplexity, toConnection } from '../graphql/relay.model.js';
import { AuditEventConnection, AuditEventModel, AuditEventsArgs } from './audit-event.model.js';

@Resolver(() => AuditEventModel)
export class AuditEventsResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditEventConnection, {
    description: 'Audit events, newest first',
    complexity: pageComplexity,
  })
  async auditEvents(@CurrentActor() actor: Actor, @Args() args: AuditEventsArgs): Promise<Connection<AuditEventModel>> {
    const page = await this.audit.list(actor, { subject: args.subject ?? undefined, actor: args.actor ?? undefined, limit: args.first ?? undefined, cursor: args.after ?? undefined });
    return toConnection(page, (e) => ({ id: e.id }), (e) => e);
  }
}
