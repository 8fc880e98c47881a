import { ArgsType, Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DriftModeEnum } from '../desired-state/desired-state.model.js';
import { GraphQLJSON } from '../graphql/json.scalar.js';
import { ConnectionType } from '../graphql/relay.model.js';

export enum DriftKindEnum {
  missing = 'missing',
  modified = 'modified',
  unexpected = 'unexpected',
  conflict = 'conflict',
}
registerEnumType(DriftKindEnum, { name: 'DriftKind', description: 'missing (assigned, not there), modified, unexpected (ours, not assigned), conflict (our name, not ours)' });

export enum DriftStatusEnum {
  open = 'open',
  contested = 'contested',
  resolved = 'resolved',
}
registerEnumType(DriftStatusEnum, { name: 'DriftStatus' });

export enum ClusterDriftStateEnum {
  in_sync = 'in_sync',
  drifted = 'drifted',
  unreachable = 'unreachable',
  never_scanned = 'never_scanned',
}
registerEnumType(ClusterDriftStateEnum, { name: 'ClusterDriftState' });

export enum DriftResolutionEnum {
  repaired = 'repaired',
  changed_back = 'changed_back',
  assigned_state_changed = 'assigned_state_changed',
}
registerEnumType(DriftResolutionEnum, { name: 'DriftResolution', description: 'How a finding was resolved: repaired by a rollout, changed back by someone, or the assigned state moved' });

@ObjectType('DriftTarget')
export class DriftTargetModel {
  @Field({ description: 'the cluster whose API server holds the object (a seed for control-plane placements)' })
  cluster!: string;

  @Field()
  namespace!: string;

  @Field()
  name!: string;
}

@ObjectType('DriftFieldDiff')
export class DriftFieldDiffModel {
  @Field({ description: 'e.g. spec.ingress[0].ports[0].port' })
  path!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'the assigned value (null: should not be there)' })
  expected!: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: 'the live value (null: gone)' })
  actual!: unknown;
}

@ObjectType('DriftFinding')
export class DriftFindingModel {
  @Field(() => ID)
  id!: string;

  @Field(() => DriftKindEnum)
  kind!: DriftKindEnum;

  @Field(() => DriftStatusEnum)
  status!: DriftStatusEnum;

  /** resolved to `cluster` through the cluster DataLoader */
  clusterId!: string;

  @Field({ description: 'name of the cluster the finding belongs to (see `cluster`)' })
  clusterName!: string;

  @Field(() => DriftTargetModel)
  target!: DriftTargetModel;

  @Field(() => [DriftFieldDiffModel])
  diff!: DriftFieldDiffModel[];

  @Field(() => String, { nullable: true, description: 'the field manager(s) that changed it, from managedFields' })
  changedBy!: string | null;

  @Field(() => String, { nullable: true })
  binding!: string | null;

  @Field(() => String, { nullable: true })
  template!: string | null;

  @Field(() => DriftModeEnum, { nullable: true })
  driftMode!: DriftModeEnum | null;

  @Field({ description: 'the cluster was unreachable at its last scan: last known drift' })
  stale!: boolean;

  @Field(() => GraphQLISODateTime)
  firstSeenAt!: Date;

  @Field(() => GraphQLISODateTime)
  lastSeenAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => DriftResolutionEnum, { nullable: true })
  resolution!: DriftResolutionEnum | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  contestedAt!: Date | null;
}

export const DriftFindingConnection = ConnectionType(DriftFindingModel, 'DriftFinding');

@ObjectType('ClusterDrift', { description: "A cluster's drift at its last scan" })
export class ClusterDriftModel {
  @Field(() => ClusterDriftStateEnum)
  state!: ClusterDriftStateEnum;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastScanAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastSuccessAt!: Date | null;

  @Field(() => Int)
  openFindings!: number;

  @Field(() => [DriftFindingModel], { description: 'open and contested findings' })
  findings!: DriftFindingModel[];
}

@ArgsType()
export class ResolvedFindingsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'how many, newest first, 1..100' })
  last?: number;
}

@ObjectType('DriftSummary', { description: 'The fleet at a glance: clusters in sync, drifted, unreachable, never scanned' })
export class DriftSummaryModel {
  @Field(() => Int)
  inSync!: number;

  @Field(() => Int)
  drifted!: number;

  @Field(() => Int)
  unreachable!: number;

  @Field(() => Int)
  neverScanned!: number;

  @Field(() => Int)
  total!: number;
}

@ArgsType()
export class DriftFindingsArgs {
  @Field(() => String, { nullable: true, description: 'label selector over cluster labels' })
  labelSelector?: string;

  @Field(() => DriftKindEnum, { nullable: true })
  kind?: DriftKindEnum;

  @Field(() => String, { nullable: true })
  binding?: string;

  @Field(() => String, { nullable: true })
  template?: string;

  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'page size, 1..100' })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

@ArgsType()
export class DriftSummaryArgs {
  @Field(() => String, { nullable: true })
  labelSelector?: string;
}

@ObjectType('DriftEvent', { description: 'A finding opened, resolved or contested, or a repair started' })
export class DriftEventModel {
  @Field({ description: 'opened | resolved | contested | repair-started' })
  type!: string;

  @Field()
  cluster!: string;

  @Field(() => ID)
  clusterId!: string;

  @Field(() => [ID])
  findingIds!: string[];

  @Field(() => String, { nullable: true })
  kind!: string | null;

  @Field(() => String, { nullable: true })
  resolution!: string | null;

  @Field(() => String, { nullable: true })
  rolloutId!: string | null;

  @Field()
  at!: string;
}

@ArgsType()
export class DriftEventsArgs {
  @Field(() => String, { nullable: true, description: 'only events of this cluster (name)' })
  cluster?: string;
}
