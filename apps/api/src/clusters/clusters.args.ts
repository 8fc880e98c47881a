import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { ClusterRoleEnum } from './cluster.model.js';

@ArgsType()
export class ClustersArgs {
  @Field(() => String, { nullable: true, description: 'Kubernetes label selector, e.g. env=prod,tier in (gold,silver),!legacy' })
  labelSelector?: string;

  @Field(() => ClusterRoleEnum, { nullable: true })
  role?: ClusterRoleEnum;

  @Field(() => String, { nullable: true, description: 'seed name or id: only its user clusters' })
  seed?: string;

  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'page size, 1..100' })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

@ArgsType()
export class ClusterRefArgs {
  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => String, { nullable: true })
  name?: string;
}
