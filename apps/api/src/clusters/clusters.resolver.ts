import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor, ClusterProbeService, ClusterService } from '@fleetgate/core';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { type Connection, pageComplexity, toConnection } from '../graphql/relay.model.js';
import { RegisterClusterInput, UpdateClusterInput } from './cluster.input.js';
import { refOf, toClusterModel, toRegisterData, toUpdateData } from './cluster.mapper.js';
import { ClusterConnection, ClusterModel, WatchStatusEnum } from './cluster.model.js';
import { ClusterRefArgs, ClustersArgs } from './clusters.args.js';

@Resolver(() => ClusterModel)
export class ClustersResolver {
  constructor(
    private readonly clusterService: ClusterService,
    private readonly probes: ClusterProbeService,
  ) {}

  @Query(() => ClusterConnection, {
    description: 'Clusters ordered by name, as a Relay connection',
    complexity: pageComplexity,
  })
  async clusters(@CurrentActor() actor: Actor, @Args() args: ClustersArgs): Promise<Connection<ClusterModel>> {
    const page = await this.clusterService.list(actor, {
      labelSelector: args.labelSelector ?? undefined,
      role: args.role ?? undefined,
      seed: args.seed ?? undefined,
      limit: args.first ?? undefined,
      cursor: args.after ?? undefined,
    });
    return toConnection(page, (c) => ({ name: c.name }), toClusterModel);
  }

  @Query(() => ClusterModel, { nullable: true, description: 'One cluster by id or name' })
  async cluster(@CurrentActor() actor: Actor, @Args() args: ClusterRefArgs): Promise<ClusterModel | null> {
    const c = await this.clusterService.find(actor, refOf(args));
    return c ? toClusterModel(c) : null;
  }

  @Mutation(() => ClusterModel)
  @RequireRole('admin')
  async registerCluster(@CurrentActor() actor: Actor, @Args('input') input: RegisterClusterInput): Promise<ClusterModel> {
    return toClusterModel(await this.clusterService.register(actor, toRegisterData(input)));
  }

  @Mutation(() => ClusterModel)
  @RequireRole('admin')
  async updateCluster(@CurrentActor() actor: Actor, @Args() ref: ClusterRefArgs, @Args('input') input: UpdateClusterInput): Promise<ClusterModel> {
    return toClusterModel(await this.clusterService.update(actor, refOf(ref), toUpdateData(input)));
  }

  @Mutation(() => ClusterModel, { description: 'Removes a cluster and returns it as it was' })
  @RequireRole('admin')
  async deleteCluster(@CurrentActor() actor: Actor, @Args() ref: ClusterRefArgs): Promise<ClusterModel> {
    return toClusterModel(await this.clusterService.remove(actor, refOf(ref)));
  }

  @Mutation(() => ClusterModel)
  @RequireRole('operator')
  async probeCluster(@CurrentActor() actor: Actor, @Args() ref: ClusterRefArgs): Promise<ClusterModel> {
    return toClusterModel(await this.probes.probe(actor, refOf(ref)));
  }

  @ResolveField('seed', () => ClusterModel, { nullable: true, description: "A user cluster's seed" })
  async seed(@Parent() cluster: ClusterModel, @Context() ctx: GqlContext): Promise<ClusterModel | null> {
    if (!cluster.seedId) return null;
    const seed = await ctx.loaders.byId.load(cluster.seedId);
    return seed ? toClusterModel(seed) : null;
  }

  @ResolveField('userClusters', () => [ClusterModel], {
    description: "A seed's user clusters",
    complexity: ({ childComplexity }) => 1 + 20 * Math.max(childComplexity, 1),
  })
  async userClusters(@Parent() cluster: ClusterModel, @Context() ctx: GqlContext): Promise<ClusterModel[]> {
    if (cluster.role !== 'seed') return [];
    return (await ctx.loaders.userClustersBySeedId.load(cluster.id)).map(toClusterModel);
  }

  @ResolveField('watch', () => WatchStatusEnum, { description: "The drift watch on the cluster's API server: connected, reconnecting, or off (no live worker holds it)" })
  async watch(@Parent() cluster: ClusterModel, @Context() ctx: GqlContext): Promise<WatchStatusEnum> {
    return (await ctx.loaders.watchById.load(cluster.id)) as WatchStatusEnum;
  }

  @ResolveField('userClusterCount', () => Int, { description: "Number of a seed's user clusters" })
  async userClusterCount(@Parent() cluster: ClusterModel, @Context() ctx: GqlContext): Promise<number> {
    if (cluster.role !== 'seed') return 0;
    return (await ctx.loaders.userClustersBySeedId.load(cluster.id)).length;
  }
}
