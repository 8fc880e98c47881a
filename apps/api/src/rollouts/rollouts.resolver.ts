import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { type Actor, type RolloutEvent, RolloutService } from '@fleetgate/core';
import { toClusterModel } from '../clusters/cluster.mapper.js';
import { ClusterModel } from '../clusters/cluster.model.js';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { latestState } from '../graphql/latest-state.stream.js';
import { type Connection, pageComplexity, toConnection } from '../graphql/relay.model.js';
import { toRolloutModel, toRolloutTargetModel, toStartRolloutData, toStrategyInput } from './rollout.mapper.js';
import { RolloutEventsPubSub } from './rollout-events.pubsub.js';
import {
  RolloutConnection,
  RolloutEventModel,
  RolloutModel,
  RolloutStrategyInput,
  RolloutTargetConnection,
  RolloutTargetModel,
  RolloutTargetsArgs,
  RolloutsArgs,
  StartRolloutInput,
} from './rollout.model.js';

/** How long `rolloutProgress` folds a burst of events into one message. */
export const PROGRESS_WINDOW_MS = 100;

/** Rollouts over GraphQL: the same service calls as REST (queries, start and control mutations). */
@Resolver(() => RolloutModel)
export class RolloutsResolver {
  constructor(
    private readonly service: RolloutService,
    private readonly events: RolloutEventsPubSub,
  ) {}

  @Subscription(() => RolloutEventModel, { description: 'Every rollout event, fleet-wide', resolve: (payload: RolloutEvent) => payload })
  rolloutEvents(): AsyncIterableIterator<RolloutEvent> {
    return this.events.iterator();
  }

  @Subscription(() => RolloutModel, {
    description: 'The rollout now, then again whenever its targets or status change (bursts folded into one message per 100 ms)',
    resolve: (rollout: RolloutModel) => rollout,
  })
  rolloutProgress(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): AsyncGenerator<RolloutModel> {
    return latestState(this.events.iterator(), {
      matches: (e) => e.rolloutId === id,
      load: async () => toRolloutModel(await this.service.get(actor, id)),
      windowMs: PROGRESS_WINDOW_MS,
    });
  }

  @Query(() => RolloutModel)
  async rollout(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<RolloutModel> {
    return toRolloutModel(await this.service.get(actor, id));
  }

  @Query(() => RolloutConnection, { description: 'Rollouts, newest first', complexity: pageComplexity })
  async rollouts(@CurrentActor() actor: Actor, @Args() args: RolloutsArgs): Promise<Connection<RolloutModel>> {
    const page = await this.service.list(actor, {
      ...(args.status ? { status: args.status } : {}),
      ...(args.kind ? { kind: args.kind } : {}),
      ...(args.cluster ? { cluster: args.cluster } : {}),
      ...(args.first !== null && args.first !== undefined ? { limit: args.first } : {}),
      ...(args.after ? { cursor: args.after } : {}),
    });
    return toConnection(page, (r) => ({ seq: r.seq }), toRolloutModel);
  }

  @ResolveField('targets', () => RolloutTargetConnection, { description: 'The target clusters in rollout order', complexity: pageComplexity })
  async targets(@Parent() rollout: RolloutModel, @CurrentActor() actor: Actor, @Args() args: RolloutTargetsArgs): Promise<Connection<RolloutTargetModel>> {
    const page = await this.service.targets(actor, rollout.id, {
      ...(args.state ? { state: args.state } : {}),
      ...(args.first !== null && args.first !== undefined ? { limit: args.first } : {}),
      ...(args.after ? { cursor: args.after } : {}),
    });
    return toConnection(page, (t) => ({ position: t.position }), toRolloutTargetModel);
  }

  @Mutation(() => RolloutModel)
  @RequireRole('operator')
  async startRollout(@CurrentActor() actor: Actor, @Args('input') input: StartRolloutInput): Promise<RolloutModel> {
    return toRolloutModel(await this.service.start(actor, toStartRolloutData(input)));
  }

  @Mutation(() => RolloutModel)
  @RequireRole('operator')
  async pauseRollout(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<RolloutModel> {
    return toRolloutModel(await this.service.pause(actor, id));
  }

  @Mutation(() => RolloutModel)
  @RequireRole('operator')
  async resumeRollout(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<RolloutModel> {
    return toRolloutModel(await this.service.resume(actor, id));
  }

  @Mutation(() => RolloutModel)
  @RequireRole('operator')
  async cancelRollout(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<RolloutModel> {
    return toRolloutModel(await this.service.cancel(actor, id));
  }

  @Mutation(() => RolloutModel)
  @RequireRole('operator')
  async approveRollout(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<RolloutModel> {
    return toRolloutModel(await this.service.approve(actor, id));
  }

  @Mutation(() => RolloutModel, { description: 'Runs failed targets again under the same rollout: all of them, or those of the named clusters' })
  @RequireRole('operator')
  async retryRollout(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('clusters', { type: () => [String], nullable: true }) clusters?: string[] | null,
  ): Promise<RolloutModel> {
    return toRolloutModel(await this.service.retry(actor, id, clusters ? { clusters } : {}));
  }

  @Mutation(() => RolloutModel, { description: 'Starts a rollout that restores what the given rollout changed' })
  @RequireRole('operator')
  async rollbackRollout(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('strategy', { type: () => RolloutStrategyInput, nullable: true }) strategy?: RolloutStrategyInput | null,
  ): Promise<RolloutModel> {
    const s = toStrategyInput(strategy);
    return toRolloutModel(await this.service.rollback(actor, id, s ? { strategy: s } : {}));
  }
}

/** `RolloutTarget.cluster` through the per-request cluster loader. */
@Resolver(() => RolloutTargetModel)
export class RolloutTargetResolver {
  @ResolveField('cluster', () => ClusterModel, { nullable: true })
  async cluster(@Parent() target: RolloutTargetModel, @Context() ctx: GqlContext): Promise<ClusterModel | null> {
    const c = await ctx.loaders.byId.load(target.clusterId);
    return c ? toClusterModel(c) : null;
  }
}
