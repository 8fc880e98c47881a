import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from '../graphql/json.scalar.js';
import { ConnectionType } from '../graphql/relay.model.js';

@ObjectType('PolicyTemplate')
export class PolicyTemplateModel {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field()
  builtIn!: boolean;

  @Field(() => String, { nullable: true })
  pack!: string | null;

  @Field(() => Int, { nullable: true })
  latestVersion!: number | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType('TemplateParameter')
export class TemplateParameterModel {
  @Field()
  name!: string;

  @Field({ description: 'string, int, port, cidr, cidrList, labels or namespaceName' })
  type!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, { nullable: true })
  required?: boolean | null;

  @Field(() => GraphQLJSON, { nullable: true })
  default?: unknown;
}

@ObjectType('TemplateVersion')
export class TemplateVersionModel {
  @Field(() => ID)
  id!: string;

  @Field()
  template!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => GraphQLJSON, { description: 'json-e NetworkPolicy template (one policy or a list)' })
  body!: unknown;

  @Field(() => [TemplateParameterModel])
  parameters!: TemplateParameterModel[];

  @Field()
  changelog!: string;

  @Field()
  author!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

export const PolicyTemplateConnection = ConnectionType(PolicyTemplateModel, 'PolicyTemplate');

export const TemplateVersionConnection = ConnectionType(TemplateVersionModel, 'TemplateVersion');

@ObjectType()
export class CreatedTemplate {
  @Field(() => PolicyTemplateModel)
  template!: PolicyTemplateModel;

  @Field(() => TemplateVersionModel, { nullable: true })
  version!: TemplateVersionModel | null;
}

@ObjectType()
export class JsonChange {
  @Field()
  path!: string;

  @Field()
  op!: string;

  @Field(() => GraphQLJSON, { nullable: true })
  from?: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  to?: unknown;
}

@ObjectType()
export class ChangelogEntry {
  @Field(() => Int)
  version!: number;

  @Field()
  changelog!: string;

  @Field()
  author!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType()
export class TemplateDiff {
  @Field()
  template!: string;

  @Field(() => Int)
  from!: number;

  @Field(() => Int)
  to!: number;

  @Field(() => [ChangelogEntry])
  changelog!: ChangelogEntry[];

  @Field(() => [JsonChange])
  body!: JsonChange[];

  @Field(() => [JsonChange])
  parameters!: JsonChange[];
}

@ObjectType()
export class RenderedPolicyModel {
  @Field(() => GraphQLJSON)
  policy!: unknown;

  @Field()
  hash!: string;
}

@ObjectType()
export class RenderResult {
  @Field()
  cluster!: string;

  @Field()
  namespace!: string;

  @Field(() => [RenderedPolicyModel])
  items!: RenderedPolicyModel[];
}
