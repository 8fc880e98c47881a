import { Args, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { type Actor, type ListRolloutsInput, type RolloutEvent, RolloutService, type StartRolloutInput as CoreStartInput, type TargetState } from '@fleetgate/core';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { GraphQLJSON } from '../graphql/json.scalar.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { skippedObjects, toRolloutDto } from './rollout.dto.js';
import { RolloutEventsPubSub } from './rollout-events.pubsub.js';
import { RolloutEventModel, RolloutModel, RolloutPageModel, RolloutTargetPageModel, RolloutsArgs, StartRolloutInput } from './rollout.model.js';

const strip = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

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
    description: 'The rollout, each time one of its targets finishes or its status changes',
    filter: (payload: RolloutEvent, variables: { id: string }) => payload.rolloutId === variables.id,
    async resolve(this: RolloutsResolver, payload: RolloutEvent, _args: unknown, ctx: GqlContext) {
      if (!ctx.req.actor) throw new Error('subscription without an authenticated caller');
      return toRolloutDto(await this.service.get(ctx.req.actor, payload.rolloutId));
    },
  })
  rolloutProgress(@Args('id', { type: () => ID }) _id: string): AsyncIterableIterator<RolloutEvent> {
    return this.events.iterator();
  }

  @Query(() => RolloutModel)
  async rollout(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<RolloutModel> {
    return toRolloutDto(await this.service.get(actor, id)) as unknown as RolloutModel;
  }

  @Query(() => RolloutPageModel, { complexity: ({ args, childComplexity }) => 1 + Math.min(Number(args.limit ?? 20), 100) * Math.max(childComplexity, 1) })
  async rollouts(@CurrentActor() actor: Actor, @Args() args: RolloutsArgs): Promise<RolloutPageModel> {
    const page = await this.service.list(actor, strip({ ...args }) as ListRolloutsInput);
    return { items: page.items.map((r) => toRolloutDto(r) as unknown as RolloutModel), nextCursor: page.nextCursor };
  }

  @Query(() => RolloutTargetPageModel)
  async rolloutTargets(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('state', { type: () => String, nullable: true }) state?: string | null,
    @Args('limit', { type: () => Int, nullable: true }) limit?: number | null,
    @Args('cursor', { type: () => String, nullable: true }) cursor?: string | null,
  ): Promise<RolloutTargetPageModel> {
    const page = await this.service.targets(actor, id, strip({ state: state as TargetState | null, limit, cursor }));
    return {
      items: page.items.map((t) => ({ ...t, cluster: t.clusterName, skipped: skippedObjects(t) })),
      nextCursor: page.nextCursor,
    };
  }

  @Mutation(() => RolloutModel)
  @RequireRole('operator')
  async startRollout(@CurrentActor() actor: Actor, @Args('input') input: StartRolloutInput): Promise<RolloutModel> {
    return toRolloutDto(await this.service.start(actor, strip({ ...input }) as unknown as CoreStartInput)) as unknown as RolloutModel;
  }

  @Mutation(() => RolloutModel)
  @RequireRole('operator')
  async pauseRollout(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<RolloutModel> {
    return toRolloutDto(await this.service.pause(actor, id)) as unknown as RolloutModel;
  }

  @Mutation(() => RolloutModel)
  @RequireRole('operator')
  async resumeRollout(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<RolloutModel> {
    return toRolloutDto(await this.service.resume(actor, id)) as unknown as RolloutModel;
  }

  @Mutation(() => RolloutModel)
  @RequireRole('operator')
  async cancelRollout(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<RolloutModel> {
    return toRolloutDto(await this.service.cancel(actor, id)) as unknown as RolloutModel;
  }

  @Mutation(() => RolloutModel)
  @RequireRole('operator')
  async approveRollout(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<RolloutModel> {
    return toRolloutDto(await this.service.approve(actor, id)) as unknown as RolloutModel;
  }

  @Mutation(() => RolloutModel, { description: 'Runs failed targets again under the same rollout: all of them, or those of the named clusters' })
  @RequireRole('operator')
  async retryRollout(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('clusters', { type: () => [String], nullable: true }) clusters?: string[] | null,
  ): Promise<RolloutModel> {
    return toRolloutDto(await this.service.retry(actor, id, clusters ? { clusters } : {})) as unknown as RolloutModel;
  }

  @Mutation(() => RolloutModel)
  @RequireRole('operator')
  async rollbackRollout(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('strategy', { type: () => GraphQLJSON, nullable: true }) strategy?: unknown,
  ): Promise<RolloutModel> {
    return toRolloutDto(await this.service.rollback(actor, id, strategy === undefined || strategy === null ? {} : { strategy })) as unknown as RolloutModel;
  }
}
