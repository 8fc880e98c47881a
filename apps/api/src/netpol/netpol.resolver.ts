import { Args, Query, Resolver } from '@nestjs/graphql';
import { type Actor, NetpolService } from '@fleetgate/core';
import { CurrentActor } from '../common/auth.decorator.js';
import { NetworkPolicyReachabilityArgs, ValidateNetworkPolicyArgs } from './netpol.args.js';
import { toReachabilityResultModel } from './netpol.mapper.js';
import { NetworkPolicyReachabilityModel, NetworkPolicyValidationModel } from './netpol.model.js';

@Resolver()
export class NetpolResolver {
  constructor(private readonly netpol: NetpolService) {}

  @Query(() => NetworkPolicyValidationModel, {
    description: "Validates a NetworkPolicy as the Kubernetes API server does; invalid is an INVALID_POLICY error with every {field, message} in extensions.errors",
  })
  validateNetworkPolicy(@CurrentActor() actor: Actor, @Args() args: ValidateNetworkPolicyArgs): NetworkPolicyValidationModel {
    return this.netpol.validate(actor, args.policy, { profile: args.profile ?? undefined });
  }

  @Query(() => NetworkPolicyReachabilityModel, {
    description: 'Which connections the policies allow, with explanations; malformed input is BAD_USER_INPUT, invalid policies INVALID_POLICY',
  })
  networkPolicyReachability(@CurrentActor() actor: Actor, @Args() args: NetworkPolicyReachabilityArgs): NetworkPolicyReachabilityModel {
    return { results: this.netpol.checkReachability(actor, args.input).results.map(toReachabilityResultModel) };
  }
}
