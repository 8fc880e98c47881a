import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor, BindingService } from '@fleetgate/core';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { PageArgs } from '../feature-gates/feature-gate.input.js';
import { CreateBindingInput, UpdateBindingInput } from './binding.input.js';
import { toBindingChangeModel, toBindingModel, toCreateBindingData, toUpdateBindingData } from './binding.mapper.js';
import { type Connection, pageComplexity, toConnection } from '../graphql/relay.model.js';
import { BindingChangeModel, BindingConnection, BindingModel } from './binding.model.js';

@Resolver(() => BindingModel)
export class BindingsResolver {
  constructor(private readonly bindingService: BindingService) {}

  @Query(() => BindingConnection, { description: 'Bindings by name', complexity: pageComplexity })
  async bindings(@CurrentActor() actor: Actor, @Args() args: PageArgs): Promise<Connection<BindingModel>> {
    const page = await this.bindingService.list(actor, { limit: args.first ?? undefined, cursor: args.after ?? undefined });
    return toConnection(page, (b) => ({ name: b.name }), toBindingModel);
  }

  @Query(() => BindingModel)
  async binding(@CurrentActor() actor: Actor, @Args('ref') ref: string): Promise<BindingModel> {
    return toBindingModel(await this.bindingService.get(actor, ref));
  }

  @Mutation(() => BindingChangeModel)
  @RequireRole('admin')
  async createBinding(@CurrentActor() actor: Actor, @Args('input') input: CreateBindingInput): Promise<BindingChangeModel> {
    return toBindingChangeModel(await this.bindingService.create(actor, toCreateBindingData(input)));
  }

  @Mutation(() => BindingChangeModel)
  @RequireRole('admin')
  async updateBinding(@CurrentActor() actor: Actor, @Args('ref') ref: string, @Args('input') input: UpdateBindingInput): Promise<BindingChangeModel> {
    return toBindingChangeModel(await this.bindingService.update(actor, ref, toUpdateBindingData(input)));
  }

  @Mutation(() => BindingChangeModel)
  @RequireRole('admin')
  async deleteBinding(@CurrentActor() actor: Actor, @Args('ref') ref: string): Promise<BindingChangeModel> {
    return toBindingChangeModel(await this.bindingService.remove(actor, ref));
  }
}
