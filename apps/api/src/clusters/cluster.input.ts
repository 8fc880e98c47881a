import { Field, InputType } from '@nestjs/graphql';
import { GateValueInput } from '../feature-gates/feature-gate.input.js';
import { ClusterRoleEnum } from './cluster.model.js';

@InputType()
export class LabelInput {
  @Field()
  key!: string;

  @Field()
  value!: string;
}

@InputType()
export class NetworksInput {
  @Field(() => String, { nullable: true })
  pods?: string;

  @Field(() => String, { nullable: true })
  services?: string;

  @Field(() => String, { nullable: true })
  nodes?: string;
}

@InputType({ description: 'Either kubeconfig, or server + token (+ caData).' })
export class CredentialsInput {
  @Field(() => String, { nullable: true })
  kubeconfig?: string;

  @Field(() => String, { nullable: true })
  server?: string;

  @Field(() => String, { nullable: true, description: 'base64 PEM CA bundle' })
  caData?: string;

  @Field(() => String, { nullable: true })
  token?: string;

  @Field(() => Boolean, { nullable: true })
  insecureSkipTLSVerify?: boolean;
}

@InputType()
export class RegisterClusterInput {
  @Field()
  name!: string;

  @Field(() => ClusterRoleEnum)
  role!: ClusterRoleEnum;

  @Field(() => String, { nullable: true, description: 'seed name or id (user clusters)' })
  seed?: string;

  @Field(() => String, { nullable: true, description: 'default cluster-<name>' })
  controlPlaneNamespace?: string;

  @Field(() => [LabelInput], { nullable: true })
  labels?: LabelInput[];

  @Field(() => CredentialsInput)
  credentials!: CredentialsInput;

  @Field(() => NetworksInput, { nullable: true })
  networks?: NetworksInput;

  @Field(() => [String], { nullable: true })
  blockedCIDRs?: string[];

  @Field(() => [GateValueInput], { nullable: true, description: "explicit gate values (KKP spec.features); the seed's defaulting template fills the others" })
  featureGates?: GateValueInput[];
}

@InputType()
export class UpdateClusterInput {
  @Field(() => [LabelInput], { nullable: true })
  labels?: LabelInput[];

  @Field(() => CredentialsInput, { nullable: true })
  credentials?: CredentialsInput;

  @Field(() => NetworksInput, { nullable: true })
  networks?: NetworksInput;

  @Field(() => [String], { nullable: true })
  blockedCIDRs?: string[];

  @Field(() => String, { nullable: true })
  controlPlaneNamespace?: string;
}
