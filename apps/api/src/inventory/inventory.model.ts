import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { Label, NetworkPolicyEnforcementEnum } from '../clusters/cluster.model.js';
import { PageInfo } from '../graphql/relay.model.js';

@ObjectType()
export class InventoryNamespaceModel {
  @Field()
  name!: string;

  @Field(() => [Label])
  labels!: Label[];
}

@ObjectType()
export class InventoryContainerPortModel {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Int)
  containerPort!: number;

  @Field()
  protocol!: string;
}

@ObjectType()
export class InventoryPodModel {
  @Field()
  namespace!: string;

  @Field()
  name!: string;

  @Field(() => [Label])
  labels!: Label[];

  @Field(() => String, { nullable: true })
  ip!: string | null;

  @Field(() => String, { nullable: true })
  phase!: string | null;

  @Field(() => [InventoryContainerPortModel])
  ports!: InventoryContainerPortModel[];
}

@ObjectType()
export class InventoryServicePortModel {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Int)
  port!: number;

  @Field({ description: 'A number or a port name, as text' })
  targetPort!: string;

  @Field()
  protocol!: string;
}

@ObjectType()
export class InventoryServiceModel {
  @Field()
  namespace!: string;

  @Field()
  name!: string;

  @Field(() => [Label], { nullable: true, description: 'null: a Service without a selector' })
  selector!: Label[] | null;

  @Field(() => [InventoryServicePortModel])
  ports!: InventoryServicePortModel[];

  @Field(() => [Label])
  annotations!: Label[];
}

@ObjectType()
export class InventoryPodEdge {
  @Field()
  cursor!: string;

  @Field(() => InventoryPodModel)
  node!: InventoryPodModel;
}

@ObjectType()
export class InventoryPodConnection {
  @Field(() => [InventoryPodEdge])
  edges!: InventoryPodEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType()
export class InventoryServiceEdge {
  @Field()
  cursor!: string;

  @Field(() => InventoryServiceModel)
  node!: InventoryServiceModel;
}

@ObjectType()
export class InventoryServiceConnection {
  @Field(() => [InventoryServiceEdge])
  edges!: InventoryServiceEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType()
export class ServiceAnnotationErrorModel {
  @Field({ description: '`namespace/name` of the Service' })
  service!: string;

  @Field()
  annotation!: string;

  @Field()
  message!: string;
}

@ObjectType()
export class InventoryCountsModel {
  @Field(() => Int)
  namespaces!: number;

  @Field(() => Int)
  pods!: number;

  @Field(() => Int)
  services!: number;
}

@ObjectType('ClusterInventory', { description: 'What runs in a cluster, as its last inventory scan saw it' })
export class ClusterInventoryModel {
  /** the cluster (pods and services are paged from the loaded snapshot) */
  clusterId!: string;

  @Field(() => GraphQLISODateTime)
  observedAt!: Date;

  @Field({ description: 'ok | unreachable | failed (a failed scan keeps the last snapshot)' })
  status!: string;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => [String], { description: 'kinds cut at the configured size limit' })
  truncated!: string[];

  @Field(() => InventoryCountsModel)
  counts!: InventoryCountsModel;

  @Field(() => String, { nullable: true })
  serverVersion!: string | null;

  @Field(() => NetworkPolicyEnforcementEnum)
  networkPolicyEnforcement!: NetworkPolicyEnforcementEnum;

  @Field(() => String, { nullable: true })
  cni!: string | null;

  @Field(() => String, { nullable: true })
  cniVersion!: string | null;

  @Field(() => [ServiceAnnotationErrorModel])
  serviceErrors!: ServiceAnnotationErrorModel[];

  @Field(() => [InventoryNamespaceModel])
  namespaces!: InventoryNamespaceModel[];
}
