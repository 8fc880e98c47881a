import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { GraphQLJSON } from '../graphql/json.scalar.js';

@InputType()
export class TemplateParameterInput {
  @Field()
  name!: string;

  @Field({ description: 'string, int, port, cidr, cidrList, labels or namespaceName' })
  type!: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => Boolean, { nullable: true })
  required?: boolean;

  @Field(() => GraphQLJSON, { nullable: true })
  default?: unknown;
}

@InputType()
export class PublishVersionInput {
  @Field(() => GraphQLJSON)
  body!: unknown;

  @Field(() => [TemplateParameterInput], { nullable: true })
  parameters?: TemplateParameterInput[];

  @Field()
  changelog!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'values for the validation render' })
  sampleParameters?: Record<string, unknown>;
}

@InputType()
export class CreateTemplateInput {
  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => PublishVersionInput, { nullable: true })
  initialVersion?: PublishVersionInput;
}

@InputType()
export class RenderVersionInput {
  @Field({ description: 'cluster name or id' })
  cluster!: string;

  @Field(() => GraphQLJSON, { nullable: true })
  parameters?: Record<string, unknown>;

  @Field(() => String, { nullable: true })
  namespace?: string;
}

@ArgsType()
export class TemplateVersionArgs {
  @Field({ description: 'template name or id' })
  template!: string;

  @Field(() => Int)
  version!: number;
}
