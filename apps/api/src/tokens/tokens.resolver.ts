import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor, TokenService } from '@fleetgate/core';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { CreateTokenInput } from './token.input.js';
import { CreatedTokenModel, TokenRoleEnum, ViewerModel } from './token.model.js';

@Resolver(() => CreatedTokenModel)
export class TokensResolver {
  constructor(private readonly tokens: TokenService) {}

  @Query(() => ViewerModel, { description: 'The caller: token name and role (what a UI may show and enable)' })
  viewer(@CurrentActor() actor: Actor): ViewerModel {
    return { name: actor.name, role: TokenRoleEnum[actor.role] };
  }

  @Mutation(() => CreatedTokenModel)
  @RequireRole('admin')
  async createToken(@CurrentActor() actor: Actor, @Args('input') input: CreateTokenInput): Promise<CreatedTokenModel> {
    const t = await this.tokens.create(actor, { name: input.name, role: input.role });
    return { id: t.id, name: t.name, role: t.role as TokenRoleEnum, token: t.token };
  }
}
