import { ArgsType, Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, createUnionType, registerEnumType } from '@nestjs/graphql';
import { ClusterModel, ClusterRoleEnum } from '../clusters/cluster.model.js';
import { GraphQLJSON } from '../graphql/json.scalar.js';
import { ConnectionType } from '../graphql/relay.model.js';

export enum RolloutKindEnum {
  gate = 'gate',
  binding = 'binding',
  rollback = 'rollback',
  repair = 'repair',
  sync = 'sync',
}
registerEnumType(RolloutKindEnum, { name: 'RolloutKind', description: 'What a rollout changes: a gate value, a binding, a rollback of another rollout, a drift repair, or a re-sync' });

export enum RolloutStatusEnum {
  pending = 'pending',
  running = 'running',
  paused = 'paused',
  succeeded = 'succeeded',
  failed = 'failed',
  cancelled = 'cancelled',
}
registerEnumType(RolloutStatusEnum, { name: 'RolloutStatus' });

export enum TargetStateEnum {
  pending = 'pending',
  queued = 'queued',
  running = 'running',
  succeeded = 'succeeded',
  failed = 'failed',
  skipped = 'skipped',
  superseded = 'superseded',
}
registerEnumType(TargetStateEnum, { name: 'TargetState', description: 'Where one cluster of a rollout is' });

export enum WaveStatusEnum {
  pending = 'pending',
  running = 'running',
  done = 'done',
  cancelled = 'cancelled',
}
registerEnumType(WaveStatusEnum, { name: 'WaveStatus' });

export enum FailureActionEnum {
  pause = 'pause',
  abort = 'abort',
}
registerEnumType(FailureActionEnum, { name: 'FailureAction', description: 'What a wave does when its failure budget is spent' });

export enum ObjectActionEnum {
  created = 'created',
  configured = 'configured',
  unchanged = 'unchanged',
  pruned = 'pruned',
  skipped = 'skipped',
}
registerEnumType(ObjectActionEnum, { name: 'ObjectAction', description: 'What a target did (or, in a dry run, would do) to one NetworkPolicy' });

export enum ChangeKindEnum {
  gate = 'gate',
  binding = 'binding',
  sync = 'sync',
  repair = 'repair',
}
registerEnumType(ChangeKindEnum, { name: 'ChangeKind', description: 'The changes a caller can start (rollbacks start from rollbackRollout)' });

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
  @Field(() => Int, { description: '0-based, as currentWave' }) index!: number;
  @Field(() => WaveStatusEnum) status!: WaveStatusEnum;
  @Field(() => RolloutCountsModel) counts!: RolloutCountsModel;
}

@ObjectType('GateChange', { description: 'Set a feature gate on the target clusters' })
export class GateChangeModel {
  @Field(() => RolloutKindEnum) kind!: RolloutKindEnum.gate;
  @Field() gate!: string;
  @Field() enabled!: boolean;
}

@ObjectType('BindingChange', { description: 'Carry a binding (created, changed or deleted) to its clusters' })
export class BindingChangeModel {
  @Field(() => RolloutKindEnum) kind!: RolloutKindEnum.binding;
  @Field() binding!: string;
  @Field(() => ID, { nullable: true, description: 'null once the binding is deleted' }) bindingId!: string | null;
}

@ObjectType('RollbackChange', { description: "Restore what another rollout's targets held before it" })
export class RollbackChangeModel {
  @Field(() => RolloutKindEnum) kind!: RolloutKindEnum.rollback;
  @Field(() => ID) rollbackOf!: string;
}

@ObjectType('StateChange', { description: 'Re-apply the assigned state: a sync, or the repair of drift' })
export class StateChangeModel {
  @Field(() => RolloutKindEnum) kind!: RolloutKindEnum.sync | RolloutKindEnum.repair;
}

export type RolloutChangeModel = GateChangeModel | BindingChangeModel | RollbackChangeModel | StateChangeModel;

export const RolloutChangeUnion = createUnionType({
  name: 'RolloutChange',
  types: () => [GateChangeModel, BindingChangeModel, RollbackChangeModel, StateChangeModel] as const,
  resolveType: (c: RolloutChangeModel) =>
    c.kind === RolloutKindEnum.gate ? GateChangeModel : c.kind === RolloutKindEnum.binding ? BindingChangeModel : c.kind === RolloutKindEnum.rollback ? RollbackChangeModel : StateChangeModel,
});

@ObjectType('RolloutSelection', { description: 'Which clusters a rollout targets' })
export class RolloutSelectionModel {
  @Field(() => String, { nullable: true }) labelSelector!: string | null;
  @Field(() => ClusterRoleEnum, { nullable: true }) role!: ClusterRoleEnum | null;
  @Field(() => [String], { nullable: true, description: 'cluster names' }) clusters!: string[] | null;
}

@ObjectType('WaveSpec', { description: 'One wave: named clusters, a count, or a cumulative percentage of the targets' })
export class WaveSpecModel {
  @Field(() => [String], { nullable: true }) clusters!: string[] | null;
  @Field(() => Int, { nullable: true }) count!: number | null;
  @Field(() => Float, { nullable: true }) percent!: number | null;
}

@ObjectType('FailureBudget')
export class FailureBudgetModel {
  @Field(() => Int, { nullable: true }) count!: number | null;
  @Field(() => Float, { nullable: true }) percent!: number | null;
  @Field(() => FailureActionEnum) action!: FailureActionEnum;
}

@ObjectType('FailureBudgets', { description: 'The first (canary) wave has its own budget' })
export class FailureBudgetsModel {
  @Field(() => FailureBudgetModel) canary!: FailureBudgetModel;
  @Field(() => FailureBudgetModel) rest!: FailureBudgetModel;
}

@ObjectType('RolloutStrategy', { description: 'The strategy in force, defaults filled in' })
export class RolloutStrategyModel {
  @Field(() => [WaveSpecModel]) waves!: WaveSpecModel[];
  @Field(() => Int) maxConcurrency!: number;
  @Field(() => FailureBudgetsModel) failureBudget!: FailureBudgetsModel;
  @Field(() => String, { nullable: true, description: '"manual" (approve each wave), a duration such as "30s", or null (none)' }) pauseBetweenWaves!: string | null;
}

@ObjectType('Rollout', { description: 'One change carried to many clusters in waves' })
export class RolloutModel {
  @Field(() => ID) id!: string;
  /** sort key of the rollout list (its cursor) */
  seq!: number;
  @Field(() => RolloutKindEnum) kind!: RolloutKindEnum;
  @Field(() => RolloutStatusEnum) status!: RolloutStatusEnum;
  @Field(() => RolloutChangeUnion) change!: RolloutChangeModel;
  @Field(() => RolloutSelectionModel) selection!: RolloutSelectionModel;
  @Field(() => RolloutStrategyModel) strategy!: RolloutStrategyModel;
  @Field() dryRun!: boolean;
  @Field(() => Int, { description: '0-based index of the wave in progress' }) currentWave!: number;
  @Field() awaitingApproval!: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true }) nextWaveAt!: Date | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => ID, { nullable: true }) rollbackOf!: string | null;
  @Field() createdBy!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) startedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt!: Date | null;
  @Field(() => RolloutCountsModel) counts!: RolloutCountsModel;
  @Field(() => [RolloutWaveModel]) waves!: RolloutWaveModel[];
}

export const RolloutConnection = ConnectionType(RolloutModel, 'Rollout');

@ObjectType('ObjectDiff')
export class ObjectDiffModel {
  @Field() path!: string;
  @Field(() => GraphQLJSON, { nullable: true }) before!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) after!: unknown;
}

@ObjectType('RolloutObjectResult', { description: 'One NetworkPolicy of a target and what happened to it' })
export class RolloutObjectResultModel {
  @Field({ description: 'the cluster whose API server holds it' }) cluster!: string;
  @Field() namespace!: string;
  @Field() name!: string;
  @Field(() => ObjectActionEnum) action!: ObjectActionEnum;
  @Field(() => [ObjectDiffModel], { nullable: true }) diff!: ObjectDiffModel[] | null;
  @Field(() => String, { nullable: true, description: 'why it was skipped' }) reason!: string | null;
}

@ObjectType('RolloutTarget', { description: 'One cluster of a rollout and its result there' })
export class RolloutTargetModel {
  /** resolved to `cluster` through the cluster DataLoader */
  clusterId!: string;
  /** sort key (its cursor) */
  position!: number;
  @Field() clusterName!: string;
  @Field(() => Int) wave!: number;
  @Field(() => TargetStateEnum) state!: TargetStateEnum;
  @Field(() => Int) attempts!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int) configured!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int) pruned!: number;
  @Field(() => Int, { description: 'objects a foreign object held, left alone by a repair (counted from objects)' }) skipped!: number;
  @Field(() => Int) retries!: number;
  @Field(() => Int, { nullable: true }) durationMs!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => String, { nullable: true, description: 'how the error was classified (e.g. forbidden, invalid, timeout)' }) errorKind!: string | null;
  @Field(() => [RolloutObjectResultModel], { nullable: true, description: 'per-object results (in a dry run: what would happen, with the diff)' }) objects!: RolloutObjectResultModel[] | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) startedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt!: Date | null;
  @Field(() => ClusterModel, { nullable: true, description: 'null when the cluster was deleted since' }) cluster?: ClusterModel | null;
}

export const RolloutTargetConnection = ConnectionType(RolloutTargetModel, 'RolloutTarget');

@ArgsType()
export class RolloutsArgs {
  @Field(() => RolloutStatusEnum, { nullable: true }) status?: RolloutStatusEnum | null;
  @Field(() => RolloutKindEnum, { nullable: true }) kind?: RolloutKindEnum | null;
  @Field(() => String, { nullable: true, description: 'cluster name or id: rollouts that targeted it' }) cluster?: string | null;
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'page size, 1..100' }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@ArgsType()
export class RolloutTargetsArgs {
  @Field(() => TargetStateEnum, { nullable: true }) state?: TargetStateEnum | null;
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'page size, 1..100' }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@InputType('RolloutChangeInput', { description: 'kind gate: gate and enabled; kind binding: binding; kind sync / repair: nothing else' })
export class RolloutChangeInput {
  @Field(() => ChangeKindEnum) kind!: ChangeKindEnum;
  @Field(() => String, { nullable: true }) gate?: string | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
  @Field(() => String, { nullable: true, description: 'binding name or id' }) binding?: string | null;
}

@InputType('RolloutSelectionInput')
export class RolloutSelectionInput {
  @Field(() => String, { nullable: true, description: 'Kubernetes label selector over cluster labels' }) labelSelector?: string | null;
  @Field(() => ClusterRoleEnum, { nullable: true }) role?: ClusterRoleEnum | null;
  @Field(() => [String], { nullable: true, description: 'cluster names or ids' }) clusters?: string[] | null;
}

@InputType('WaveSpecInput', { description: 'exactly one of clusters, count, percent' })
export class WaveSpecInput {
  @Field(() => [String], { nullable: true }) clusters?: string[] | null;
  @Field(() => Int, { nullable: true }) count?: number | null;
  @Field(() => Float, { nullable: true }) percent?: number | null;
}

@InputType('FailureBudgetInput', { description: 'count or percent of a wave that may fail' })
export class FailureBudgetInput {
  @Field(() => Int, { nullable: true }) count?: number | null;
  @Field(() => Float, { nullable: true }) percent?: number | null;
  @Field(() => FailureActionEnum, { nullable: true, defaultValue: FailureActionEnum.pause }) action?: FailureActionEnum | null;
}

@InputType('RolloutStrategyInput', { description: 'Defaults: waves 1, 10 %, 100 %; 50 at a time; no failure in the canary, 5 % after; no pause' })
export class RolloutStrategyInput {
  @Field(() => [WaveSpecInput], { nullable: true }) waves?: WaveSpecInput[] | null;
  @Field(() => Int, { nullable: true }) maxConcurrency?: number | null;
  @Field(() => FailureBudgetInput, { nullable: true }) failureBudget?: FailureBudgetInput | null;
  @Field(() => String, { nullable: true, description: '"manual" or a duration such as "30s", "5m"' }) pauseBetweenWaves?: string | null;
}

@InputType('StartRolloutInput', { description: 'Same meaning as the body of POST /api/v1/rollouts' })
export class StartRolloutInput {
  @Field(() => RolloutChangeInput) change!: RolloutChangeInput;
  @Field(() => RolloutSelectionInput, { nullable: true }) targets?: RolloutSelectionInput | null;
  @Field(() => RolloutStrategyInput, { nullable: true }) strategy?: RolloutStrategyInput | null;
  @Field(() => Boolean, { nullable: true, description: 'compute what each target would do; change nothing' }) dryRun?: boolean | null;
}

@ObjectType('RolloutEvent', { description: 'A rollout started, a target finished, or a rollout changed status' })
export class RolloutEventModel {
  @Field({ description: 'rollout.started, rollout.target or rollout.status' }) type!: string;
  @Field(() => ID) rolloutId!: string;
  @Field(() => RolloutStatusEnum, { nullable: true }) status?: RolloutStatusEnum | null;
  @Field(() => String, { nullable: true }) cluster?: string | null;
  @Field(() => TargetStateEnum, { nullable: true }) state?: TargetStateEnum | null;
  @Field() at!: string;
}
