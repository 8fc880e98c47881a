import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { type Actor, TokenService } from '@fleetgate/core';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { CreateTokenInput } from './token.input.js';
import { CreatedTokenModel, type TokenRoleEnum } from './token.model.js';

@Resolver(() => CreatedTokenModel)
export class TokensResolver {
  constructor(private readonly tokens: TokenService) {}

  @Mutation(() => CreatedTokenModel)
  @RequireRole('admin')
  async createToken(@CurrentActor() actor: Actor, @Args('input') input: CreateTokenInput): Promise<CreatedTokenModel> {
    const t = await this.tokens.create(actor, { name: input.name, role: input.role });
    return { id: t.id, name: t.name, role: t.role as TokenRoleEnum, token: t.token };
  }
}
