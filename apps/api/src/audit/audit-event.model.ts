import { ArgsType, Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from '../graphql/json.scalar.js';
import { ConnectionType } from '../graphql/relay.model.js';

@ObjectType('AuditEvent')
export class AuditEventModel {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'token name' })
  actor!: string;

  @Field()
  action!: string;

  @Field()
  subject!: string;

  @Field(() => GraphQLJSON)
  summary!: Record<string, unknown>;

  @Field(() => String, { nullable: true })
  requestId!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

export const AuditEventConnection = ConnectionType(AuditEventModel, 'AuditEvent');

@ArgsType()
export class AuditEventsArgs {
  @Field(() => String, { nullable: true, description: 'e.g. cluster/seed-eu1' })
  subject?: string;

  @Field(() => String, { nullable: true, description: 'token name' })
  actor?: string;

  @Field(() => Int, { nullable: true, defaultValue: 20 })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}
