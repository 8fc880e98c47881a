import { Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { ClusterRoleEnum } from '../clusters/cluster.model.js';
import { DriftModeEnum } from '../desired-state/desired-state.model.js';
import { GraphQLJSON } from '../graphql/json.scalar.js';

export enum PlacementKindEnum {
  namespaces = 'namespaces',
  controlPlaneNamespace = 'controlPlaneNamespace',
}
registerEnumType(PlacementKindEnum, { name: 'PlacementKind' });

@InputType()
export class PlacementInput {
  @Field(() => PlacementKindEnum)
  kind!: PlacementKindEnum;

  @Field(() => [String], { nullable: true })
  names?: string[];

  @Field(() => [String], { nullable: true, description: 'namespace globs, e.g. shoot-*' })
  globs?: string[];

  @Field(() => GraphQLJSON, { nullable: true, description: 'list of metav1.LabelSelector over namespace labels' })
  selectors?: unknown[];
}

@InputType()
export class CreateBindingInput {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field({ description: 'template name or id' })
  template!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true })
  clusterSelector?: string;

  @Field(() => ClusterRoleEnum, { nullable: true })
  clusterRole?: ClusterRoleEnum | null;

  @Field(() => PlacementInput)
  placement!: PlacementInput;

  @Field(() => String, { nullable: true })
  gate?: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  parameters?: Record<string, unknown>;

  @Field(() => DriftModeEnum, { nullable: true })
  driftMode?: DriftModeEnum;
}

@InputType()
export class UpdateBindingInput {
  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => String, { nullable: true })
  template?: string;

  @Field(() => Int, { nullable: true })
  version?: number;

  @Field(() => String, { nullable: true })
  clusterSelector?: string;

  @Field(() => ClusterRoleEnum, { nullable: true })
  clusterRole?: ClusterRoleEnum | null;

  @Field(() => PlacementInput, { nullable: true })
  placement?: PlacementInput;

  @Field(() => String, { nullable: true })
  gate?: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  parameters?: Record<string, unknown>;

  @Field(() => DriftModeEnum, { nullable: true })
  driftMode?: DriftModeEnum;
}
