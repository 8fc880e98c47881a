import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor, FeatureGateService } from '@fleetgate/core';
import { toClusterModel } from '../clusters/cluster.mapper.js';
import { ClusterModel } from '../clusters/cluster.model.js';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { CreateFeatureGateInput, FeatureGateClustersArgs, GateValueInput, PageArgs } from './feature-gate.input.js';
import { gateValuesFromInput, toDefaultingTemplateModel, toFeatureGateModel, toGateFleetModel } from './feature-gate.mapper.js';
import { type Connection, pageComplexity, toConnection } from '../graphql/relay.model.js';
import { DefaultingTemplateModel, FeatureGateConnection, FeatureGateModel, GateFleetItem, GateFleetModel } from './feature-gate.model.js';

@Resolver(() => FeatureGateModel)
export class FeatureGatesResolver {
  constructor(private readonly gates: FeatureGateService) {}

  @Query(() => FeatureGateConnection, { description: 'Feature gate definitions, by key', complexity: pageComplexity })
  async featureGates(@CurrentActor() actor: Actor, @Args() args: PageArgs): Promise<Connection<FeatureGateModel>> {
    const page = await this.gates.listDefinitions(actor, { limit: args.first ?? undefined, cursor: args.after ?? undefined });
    return toConnection(page, (g) => ({ key: g.key }), toFeatureGateModel);
  }

  @Query(() => FeatureGateModel)
  async featureGate(@CurrentActor() actor: Actor, @Args('key') key: string): Promise<FeatureGateModel> {
    return toFeatureGateModel(await this.gates.getDefinition(actor, key));
  }

  @Query(() => GateFleetModel, { description: 'Fleet view of a gate: on/off counts over the selected clusters and one page of them', complexity: pageComplexity })
  async featureGateClusters(@CurrentActor() actor: Actor, @Args() args: FeatureGateClustersArgs): Promise<GateFleetModel> {
    return toGateFleetModel(
      await this.gates.fleetView(actor, args.key, {
        labelSelector: args.labelSelector ?? undefined,
        enabled: args.enabled ?? undefined,
        role: args.role ?? undefined,
        limit: args.first ?? undefined,
        cursor: args.after ?? undefined,
      }),
    );
  }

  @Query(() => DefaultingTemplateModel, { description: "A seed's defaulting template of gate values" })
  async defaultingTemplate(@CurrentActor() actor: Actor, @Args('seed') seed: string): Promise<DefaultingTemplateModel> {
    return toDefaultingTemplateModel(await this.gates.getDefaultingTemplate(actor, seed));
  }

  @Mutation(() => FeatureGateModel)
  @RequireRole('admin')
  async createFeatureGate(@CurrentActor() actor: Actor, @Args('input') input: CreateFeatureGateInput): Promise<FeatureGateModel> {
    return toFeatureGateModel(await this.gates.createDefinition(actor, { key: input.key, description: input.description, default: input.defaultValue }));
  }

  @Mutation(() => FeatureGateModel, { description: "Changes a gate's description (the default is fixed)" })
  @RequireRole('admin')
  async updateFeatureGate(@CurrentActor() actor: Actor, @Args('key') key: string, @Args('description') description: string): Promise<FeatureGateModel> {
    return toFeatureGateModel(await this.gates.updateDefinition(actor, key, { description }));
  }

  @Mutation(() => DefaultingTemplateModel, { description: "Replaces a seed's defaulting template: applies to user clusters registered from now on" })
  @RequireRole('admin')
  async setDefaultingTemplate(
    @CurrentActor() actor: Actor,
    @Args('seed') seed: string,
    @Args('featureGates', { type: () => [GateValueInput] }) featureGates: GateValueInput[],
  ): Promise<DefaultingTemplateModel> {
    return toDefaultingTemplateModel(await this.gates.putDefaultingTemplate(actor, seed, { featureGates: gateValuesFromInput(featureGates) ?? {} }));
  }
}

@Resolver(() => GateFleetItem)
export class GateFleetItemResolver {
  @ResolveField('cluster', () => ClusterModel, { nullable: true })
  async cluster(@Parent() item: GateFleetItem, @Context() ctx: GqlContext): Promise<ClusterModel | null> {
    const c = await ctx.loaders.byId.load(item.clusterId);
    return c ? toClusterModel(c) : null;
  }
}
