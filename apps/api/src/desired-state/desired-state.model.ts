import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from '../graphql/json.scalar.js';

export enum DriftModeEnum {
  enforce = 'enforce',
  inform = 'inform',
}
registerEnumType(DriftModeEnum, { name: 'DriftMode', description: 'enforce: repair drift; inform: report it only' });

export enum PlanActionEnum {
  create = 'create',
  update = 'update',
  delete = 'delete',
}
registerEnumType(PlanActionEnum, { name: 'PlanAction' });

@ObjectType({ description: 'Where a policy lands: the API server (cluster name) and a namespace, or a namespace rule resolved at apply time' })
export class PolicyTarget {
  @Field()
  cluster!: string;

  @Field(() => String, { nullable: true })
  namespace!: string | null;

  @Field(() => GraphQLJSON, { nullable: true, description: '{globs, selectors}' })
  namespaceRule!: unknown;
}

@ObjectType()
export class PolicyOrigin {
  @Field()
  binding!: string;

  @Field()
  template!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true })
  gate!: string | null;

  @Field(() => String, { nullable: true, description: '`derived`: from the inventory (see source); null: rendered from the template' })
  kind?: string | null;

  @Field(() => String, { nullable: true, description: 'for derived policies: the Service (`namespace/name`) it comes from' })
  sourceService?: string | null;

  @Field(() => String, { nullable: true, description: 'for derived policies: the namespace it serves' })
  sourceNamespace?: string | null;
}

@ObjectType()
export class DesiredPolicyModel {
  @Field(() => PolicyTarget)
  target!: PolicyTarget;

  @Field()
  name!: string;

  @Field(() => GraphQLJSON, { description: 'the rendered NetworkPolicy' })
  policy!: unknown;

  @Field()
  hash!: string;

  @Field(() => PolicyOrigin)
  origin!: PolicyOrigin;

  @Field(() => DriftModeEnum)
  driftMode!: DriftModeEnum;
}

@ObjectType()
export class AssignedPolicyModel {
  @Field(() => PolicyTarget)
  target!: PolicyTarget;

  @Field()
  name!: string;

  @Field(() => GraphQLJSON)
  policy!: unknown;

  @Field()
  hash!: string;

  @Field(() => PolicyOrigin)
  origin!: PolicyOrigin;

  @Field(() => String, { nullable: true })
  rolloutId!: string | null;

  @Field(() => GraphQLISODateTime)
  assignedAt!: Date;
}

@ObjectType()
export class PolicyConflictModel {
  @Field(() => PolicyTarget)
  target!: PolicyTarget;

  @Field()
  name!: string;

  @Field(() => [String])
  bindings!: string[];
}

@ObjectType()
export class PlanStepModel {
  @Field(() => PlanActionEnum)
  action!: PlanActionEnum;

  @Field(() => PolicyTarget)
  target!: PolicyTarget;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  desiredHash!: string | null;

  @Field(() => String, { nullable: true })
  assignedHash!: string | null;

  @Field(() => PolicyOrigin)
  origin!: PolicyOrigin;
}

@ObjectType()
export class ClusterPlanModel {
  @Field(() => [PlanStepModel])
  steps!: PlanStepModel[];

  @Field(() => Int)
  create!: number;

  @Field(() => Int)
  update!: number;

  @Field(() => Int)
  delete!: number;

  @Field(() => Int)
  unchanged!: number;

  @Field(() => [PolicyConflictModel])
  conflicts!: PolicyConflictModel[];
}
