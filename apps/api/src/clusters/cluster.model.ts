import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../graphql/relay.model.js';

export enum ClusterRoleEnum {
  seed = 'seed',
  user = 'user',
}
registerEnumType(ClusterRoleEnum, { name: 'ClusterRole' });

export enum HealthStatusEnum {
  unknown = 'unknown',
  healthy = 'healthy',
  unreachable = 'unreachable',
  timeout = 'timeout',
  unauthorized = 'unauthorized',
  forbidden = 'forbidden',
  tls_error = 'tls_error',
  error = 'error',
}
registerEnumType(HealthStatusEnum, { name: 'HealthStatus' });

export enum WatchStatusEnum {
  connected = 'connected',
  reconnecting = 'reconnecting',
  off = 'off',
}
registerEnumType(WatchStatusEnum, { name: 'WatchStatus', description: 'The drift watch on a cluster\'s API server; `off` when no live worker holds it' });

@ObjectType()
export class Label {
  @Field()
  key!: string;

  @Field()
  value!: string;
}

@ObjectType()
export class Networks {
  @Field(() => String, { nullable: true })
  pods!: string | null;

  @Field(() => String, { nullable: true })
  services!: string | null;

  @Field(() => String, { nullable: true })
  nodes!: string | null;
}

@ObjectType()
export class ClusterHealth {
  @Field(() => HealthStatusEnum)
  status!: HealthStatusEnum;

  @Field(() => String, { nullable: true })
  kubernetesVersion!: string | null;

  @Field(() => Int, { nullable: true })
  latencyMs!: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastCheckedAt!: Date | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;
}

export enum NetworkPolicyEnforcementEnum {
  enforced = 'enforced',
  not_enforced = 'not_enforced',
  unknown = 'unknown',
}
registerEnumType(NetworkPolicyEnforcementEnum, { name: 'NetworkPolicyEnforcement' });

@ObjectType({ description: "Whether the cluster's CNI plugin enforces NetworkPolicies (from its last inventory scan)" })
export class NetworkPolicyEnforcementInfo {
  @Field(() => NetworkPolicyEnforcementEnum)
  status!: NetworkPolicyEnforcementEnum;

  @Field(() => String, { nullable: true })
  cni!: string | null;

  @Field(() => String, { nullable: true })
  cniVersion!: string | null;
}

@ObjectType('Cluster', { description: 'A registered Kubernetes cluster. Credentials are never returned; see credentialFingerprint.' })
export class ClusterModel {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => ClusterRoleEnum)
  role!: ClusterRoleEnum;

  /** seed id, resolved to `seed` through a DataLoader */
  seedId!: string | null;

  @Field()
  server!: string;

  @Field()
  credentialFingerprint!: string;

  @Field()
  insecureSkipTLSVerify!: boolean;

  @Field(() => [Label])
  labels!: Label[];

  @Field(() => Networks)
  networks!: Networks;

  @Field(() => [String])
  blockedCIDRs!: string[];

  @Field(() => String, { nullable: true })
  controlPlaneNamespace!: string | null;

  @Field(() => ClusterHealth)
  health!: ClusterHealth;

  @Field(() => NetworkPolicyEnforcementInfo)
  networkPolicyEnforcement!: NetworkPolicyEnforcementInfo;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

export const ClusterConnection = ConnectionType(ClusterModel, 'Cluster');
