import { ArgsType, Field } from '@nestjs/graphql';
import { GraphQLJSON } from '../graphql/json.scalar.js';
import { ValidationProfileEnum } from './netpol.model.js';

@ArgsType()
export class ValidateNetworkPolicyArgs {
  @Field(() => GraphQLJSON, { description: 'A networking.k8s.io/v1 NetworkPolicy' })
  policy!: unknown;

  @Field(() => ValidationProfileEnum, { nullable: true, defaultValue: ValidationProfileEnum.legacy })
  profile?: ValidationProfileEnum;
}

@ArgsType()
export class NetworkPolicyReachabilityArgs {
  @Field(() => GraphQLJSON, {
    description:
      '{namespaces, pods, policies, queries?} as in POST /api/v1/netpol/reachability; without queries, every pod pair on every declared container port. At most 200 namespaces, 500 pods, 200 policies, 5000 queries.',
  })
  input!: unknown;
}
