import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from '../graphql/json.scalar.js';

@ObjectType('RolloutCounts')
export class RolloutCountsModel {
  @Field(() => Int) pending!: number;
  @Field(() => Int) queued!: number;
  @Field(() => Int) running!: number;
  @Field(() => Int) succeeded!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => Int, { description: 'targets a newer rollout of the same gate or binding took over before they started' }) superseded!: number;
  @Field(() => Int) total!: number;
}

@ObjectType('RolloutWave')
export class RolloutWaveModel {
  @Field(() => Int) index!: number;
  @Field({ description: 'pending, running, done or cancelled' }) status!: string;
  @Field(() => RolloutCountsModel) counts!: RolloutCountsModel;
}

@ObjectType('Rollout', { description: 'One change carried to many clusters in waves' })
export class RolloutModel {
  @Field(() => ID) id!: string;
  @Field() kind!: string;
  @Field({ description: 'pending, running, paused, succeeded, failed or cancelled' }) status!: string;
  @Field(() => GraphQLJSON) change!: Record<string, unknown>;
  @Field(() => GraphQLJSON) targets!: Record<string, unknown>;
  @Field(() => GraphQLJSON) strategy!: Record<string, unknown>;
  @Field() dryRun!: boolean;
  @Field(() => Int) currentWave!: number;
  @Field() awaitingApproval!: boolean;
  @Field(() => String, { nullable: true }) nextWaveAt!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true }) rollbackOf!: string | null;
  @Field() createdBy!: string;
  @Field() createdAt!: string;
  @Field(() => String, { nullable: true }) startedAt!: string | null;
  @Field(() => String, { nullable: true }) finishedAt!: string | null;
  @Field(() => RolloutCountsModel) counts!: RolloutCountsModel;
  @Field(() => [RolloutWaveModel]) waves!: RolloutWaveModel[];
}

@ObjectType('RolloutPage')
export class RolloutPageModel {
  @Field(() => [RolloutModel]) items!: RolloutModel[];
  @Field(() => String, { nullable: true }) nextCursor!: string | null;
}

@ObjectType('RolloutTarget', { description: 'One cluster of a rollout and its result there' })
export class RolloutTargetModel {
  @Field(() => ID) clusterId!: string;
  @Field() cluster!: string;
  @Field(() => Int) wave!: number;
  @Field({ description: 'pending, queued, running, succeeded, failed, skipped or superseded' }) state!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int) configured!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int) pruned!: number;
  @Field(() => Int, { description: 'objects a foreign object held, left alone by a repair (counted from objects)' }) skipped!: number;
  @Field(() => Int) retries!: number;
  @Field(() => Int, { nullable: true }) durationMs!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'per-object results (dry-run: would-create / configure with diff / unchanged / prune); skipped (with a reason): a foreign object holds the name, left alone by a repair' }) objects!: unknown[] | null;
}

@ObjectType('RolloutTargetPage')
export class RolloutTargetPageModel {
  @Field(() => [RolloutTargetModel]) items!: RolloutTargetModel[];
  @Field(() => String, { nullable: true }) nextCursor!: string | null;
}

@ArgsType()
export class RolloutsArgs {
  @Field(() => String, { nullable: true }) status?: string | null;
  @Field(() => String, { nullable: true }) kind?: string | null;
  @Field(() => String, { nullable: true, description: 'cluster name or id' }) cluster?: string | null;
  @Field(() => Int, { nullable: true }) limit?: number | null;
  @Field(() => String, { nullable: true }) cursor?: string | null;
}

@InputType('StartRolloutInput', { description: 'Same shape as POST /api/v1/rollouts' })
export class StartRolloutInput {
  @Field(() => GraphQLJSON, { description: '{kind: "gate", gate, enabled} | {kind: "binding", binding} | {kind: "sync"} | {kind: "repair"}' }) change!: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: '{labelSelector, role, clusters}' }) targets?: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) strategy?: unknown;
  @Field(() => Boolean, { nullable: true }) dryRun?: boolean | null;
}

@ObjectType('RolloutEvent', { description: 'A rollout started, a target finished, or a rollout changed status' })
export class RolloutEventModel {
  @Field({ description: 'rollout.started, rollout.target or rollout.status' }) type!: string;
  @Field(() => ID) rolloutId!: string;
  @Field(() => String, { nullable: true }) status?: string | null;
  @Field(() => String, { nullable: true }) cluster?: string | null;
  @Field(() => String, { nullable: true }) state?: string | null;
  @Field() at!: string;
}
