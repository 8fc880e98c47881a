import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { ClusterRoleEnum } from '../clusters/cluster.model.js';

@InputType()
export class GateValueInput {
  @Field()
  key!: string;

  @Field()
  enabled!: boolean;
}

@InputType()
export class CreateFeatureGateInput {
  @Field()
  key!: string;

  @Field()
  description!: string;

  @Field({ name: 'default' })
  defaultValue!: boolean;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'page size, 1..100' })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

@ArgsType()
export class FeatureGateClustersArgs extends PageArgs {
  @Field()
  key!: string;

  @Field(() => String, { nullable: true })
  labelSelector?: string;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean;

  @Field(() => ClusterRoleEnum, { nullable: true })
  role?: ClusterRoleEnum;
}
