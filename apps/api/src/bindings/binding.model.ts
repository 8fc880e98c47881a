import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { ClusterRoleEnum } from '../clusters/cluster.model.js';
import { DriftModeEnum } from '../desired-state/desired-state.model.js';
import { GraphQLJSON } from '../graphql/json.scalar.js';
import { ConnectionType } from '../graphql/relay.model.js';

@ObjectType('Binding')
export class BindingModel {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field()
  template!: string;

  @Field(() => Int)
  version!: number;

  @Field({ description: 'Kubernetes label selector over cluster labels ("" = every cluster)' })
  clusterSelector!: string;

  @Field(() => ClusterRoleEnum, { nullable: true })
  clusterRole!: ClusterRoleEnum | null;

  @Field(() => GraphQLJSON, { description: '{kind: "controlPlaneNamespace"} or {kind: "namespaces", names, globs, selectors}' })
  placement!: unknown;

  @Field(() => String, { nullable: true })
  gate!: string | null;

  @Field(() => GraphQLJSON)
  parameters!: Record<string, unknown>;

  @Field(() => DriftModeEnum)
  driftMode!: DriftModeEnum;

  @Field()
  builtIn!: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@ObjectType()
export class AffectedCluster {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;
}

@ObjectType({ description: 'A binding change and the clusters whose desired state it changes (count and the first page)' })
export class BindingChangeModel {
  @Field(() => BindingModel)
  binding!: BindingModel;

  @Field(() => Int)
  affectedClusterCount!: number;

  @Field(() => [AffectedCluster])
  affectedClusters!: AffectedCluster[];
}

export const BindingConnection = ConnectionType(BindingModel, 'Binding');
