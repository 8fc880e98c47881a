import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { NetworkPolicy } from '@fleetgate/netpol';
import { GraphQLJSON } from '../graphql/json.scalar.js';

export enum NetworkPolicyProtocolEnum {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}
registerEnumType(NetworkPolicyProtocolEnum, { name: 'NetworkPolicyProtocol' });

export enum ValidationProfileEnum {
  legacy = 'legacy',
  current = 'current',
}
registerEnumType(ValidationProfileEnum, { name: 'ValidationProfile', description: 'API server wording: Kubernetes <= 1.32 (legacy) or 1.33+ (current)' });

@ObjectType('NetworkPolicyValidation')
export class NetworkPolicyValidationModel {
  @Field({ description: 'Always true: an invalid policy is an INVALID_POLICY error listing every field in extensions.errors' })
  valid!: boolean;

  @Field(() => GraphQLJSON, { description: 'The policy as the API server would store it (protocol and policyTypes filled in)' })
  defaulted!: NetworkPolicy;
}

@ObjectType('ReachabilityRuleRef', { description: 'A rule of a policy: ingress[rule] or egress[rule] of namespace/name' })
export class ReachabilityRuleRefModel {
  @Field({ description: 'namespace/name' })
  policy!: string;

  @Field({ description: 'ingress or egress' })
  direction!: string;

  @Field(() => Int)
  rule!: number;
}

@ObjectType('ReachabilityVerdict', { description: 'The verdict of one direction: egress from the source or ingress to the destination' })
export class ReachabilityVerdictModel {
  @Field({ description: 'False when that end is not a pod: an external address is not subject to NetworkPolicy' })
  enforced!: boolean;

  @Field({ description: 'Whether some policy of this direction selects the pod' })
  isolated!: boolean;

  @Field(() => [String], { description: 'The policies (namespace/name) that select the pod for this direction' })
  isolatedBy!: string[];

  @Field(() => [ReachabilityRuleRefModel], { description: 'Every rule that allows the connection' })
  allowedBy!: ReachabilityRuleRefModel[];

  @Field()
  allowed!: boolean;
}

@ObjectType('ReachabilityExplanation')
export class ReachabilityExplanationModel {
  @Field(() => ReachabilityVerdictModel)
  egress!: ReachabilityVerdictModel;

  @Field(() => ReachabilityVerdictModel)
  ingress!: ReachabilityVerdictModel;

  @Field({ description: 'One sentence saying why' })
  summary!: string;
}

@ObjectType('ReachabilityResult')
export class ReachabilityResultModel {
  @Field({ description: 'A pod (namespace/name) or an IP address' })
  from!: string;

  @Field({ description: 'A pod (namespace/name) or an IP address' })
  to!: string;

  @Field(() => Int, { nullable: true, description: 'The queried port number (null when a port name was queried)' })
  port!: number | null;

  @Field(() => String, { nullable: true, description: 'The queried port name, resolved on the destination pod' })
  portName!: string | null;

  @Field(() => NetworkPolicyProtocolEnum)
  protocol!: NetworkPolicyProtocolEnum;

  @Field()
  allowed!: boolean;

  @Field(() => ReachabilityExplanationModel)
  explanation!: ReachabilityExplanationModel;
}

@ObjectType('NetworkPolicyReachability')
export class NetworkPolicyReachabilityModel {
  @Field(() => [ReachabilityResultModel])
  results!: ReachabilityResultModel[];
}
