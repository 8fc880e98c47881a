import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ClusterModel, ClusterRoleEnum } from '../clusters/cluster.model.js';
import { ConnectionType, type Edge, PageInfo } from '../graphql/relay.model.js';

export enum GateSourceEnum {
  explicit = 'explicit',
  seedTemplate = 'seedTemplate',
  default = 'default',
}
registerEnumType(GateSourceEnum, { name: 'GateSource', description: 'Why a cluster has its value: set on the cluster, copied from its seed at registration, or the default' });

@ObjectType('FeatureGate')
export class FeatureGateModel {
  @Field()
  key!: string;

  @Field()
  description!: string;

  @Field({ name: 'default' })
  defaultValue!: boolean;

  @Field()
  builtIn!: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

export const FeatureGateConnection = ConnectionType(FeatureGateModel, 'FeatureGate');

@ObjectType('ClusterFeatureGate', { description: 'A gate value on a cluster, and why' })
export class ClusterFeatureGateModel {
  @Field()
  key!: string;

  @Field()
  enabled!: boolean;

  @Field(() => GateSourceEnum)
  source!: GateSourceEnum;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'when the value was set (registration or rollout); null for defaults' })
  since!: Date | null;

  @Field(() => String, { nullable: true })
  rolloutId!: string | null;
}

@ObjectType()
export class GateValue {
  @Field()
  key!: string;

  @Field()
  enabled!: boolean;
}

@ObjectType()
export class DefaultingTemplateModel {
  @Field()
  seed!: string;

  @Field(() => [GateValue])
  featureGates!: GateValue[];

  @Field(() => GraphQLISODateTime, { nullable: true })
  updatedAt!: Date | null;

  @Field(() => String, { nullable: true })
  updatedBy!: string | null;

  @Field(() => String, { nullable: true, description: 'after a change: "clusters registered from now on"' })
  appliesTo!: string | null;

  @Field(() => Int, { nullable: true, description: 'after a change: user clusters of the seed that keep their values' })
  existingUserClustersUnchanged!: number | null;
}

@ObjectType()
export class GateFleetItem {
  /** resolved through the cluster DataLoader */
  clusterId!: string;

  @Field()
  name!: string;

  @Field(() => ClusterRoleEnum)
  role!: ClusterRoleEnum;

  @Field()
  enabled!: boolean;

  @Field(() => GateSourceEnum)
  source!: GateSourceEnum;

  @Field(() => GraphQLISODateTime, { nullable: true })
  since!: Date | null;

  @Field(() => ClusterModel, { nullable: true })
  cluster?: ClusterModel | null;
}

@ObjectType()
export class GateFleetItemEdge {
  @Field({ description: 'pass as `after` to read the items after this one' })
  cursor!: string;

  @Field(() => GateFleetItem)
  node!: GateFleetItem;
}

@ObjectType({ description: 'A connection of the selected clusters with the on/off counts over all of them' })
export class GateFleetModel {
  @Field(() => FeatureGateModel)
  gate!: FeatureGateModel;

  @Field(() => Int)
  on!: number;

  @Field(() => Int)
  off!: number;

  @Field(() => Int)
  total!: number;

  @Field(() => [GateFleetItemEdge], { description: 'one page of the selected clusters, by name' })
  edges!: Edge<GateFleetItem>[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
