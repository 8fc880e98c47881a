import { Args, Context, ID, Mutation, ObjectType, Field, Int, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { type Actor, type DriftEventMessage, type DriftFindingView, DriftService, DomainError } from '@fleetgate/core';
import DataLoader from 'dataloader';
import { ClusterModel } from '../clusters/cluster.model.js';
import { toClusterModel } from '../clusters/cluster.mapper.js';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import { type Connection, pageComplexity, toConnection } from '../graphql/relay.model.js';
import { DriftModeEnum } from '../desired-state/desired-state.model.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { DriftEventsPubSub } from './drift-events.pubsub.js';
import { clusterDriftState } from './drift.dto.js';
import {
  ClusterDriftModel,
  ClusterDriftStateEnum,
  DriftFindingConnection,
  DriftFindingModel,
  DriftResolutionEnum,
  DriftEventModel,
  DriftEventsArgs,
  DriftFindingsArgs,
  type DriftKindEnum,
  type DriftStatusEnum,
  DriftSummaryArgs,
  DriftSummaryModel,
  ResolvedFindingsArgs,
} from './drift.model.js';

const toModel = (f: DriftFindingView): DriftFindingModel => ({
  id: f.id,
  kind: f.kind as DriftKindEnum,
  status: f.status as DriftStatusEnum,
  clusterId: f.clusterId,
  clusterName: f.clusterName,
  target: f.target,
  diff: f.diff.map((d) => ({ path: d.path, expected: d.expected ?? null, actual: d.actual ?? null })),
  changedBy: f.changedBy,
  binding: f.binding,
  template: f.template,
  driftMode: f.driftMode === null ? null : DriftModeEnum[f.driftMode],
  stale: f.stale,
  firstSeenAt: f.firstSeenAt,
  lastSeenAt: f.lastSeenAt,
  resolvedAt: f.resolvedAt,
  resolution: f.resolution === null ? null : RESOLUTION[f.resolution],
  contestedAt: f.contestedAt,
});

const RESOLUTION: Record<NonNullable<DriftFindingView['resolution']>, DriftResolutionEnum> = {
  repaired: DriftResolutionEnum.repaired,
  'changed-back': DriftResolutionEnum.changed_back,
  'assigned-state-changed': DriftResolutionEnum.assigned_state_changed,
};

@ObjectType('DriftScanRequest', { description: 'Scans queued: one per cluster' })
export class DriftScanRequestModel {
  @Field(() => [ID])
  scanIds!: string[];

  @Field(() => Int)
  clusters!: number;
}

const STATE: Record<ReturnType<typeof clusterDriftState>, ClusterDriftStateEnum> = {
  'in-sync': ClusterDriftStateEnum.in_sync,
  drifted: ClusterDriftStateEnum.drifted,
  unreachable: ClusterDriftStateEnum.unreachable,
  'never-scanned': ClusterDriftStateEnum.never_scanned,
};

type DriftLoader = DataLoader<string, ClusterDriftModel>;
/** Per-request loader (CONVENTIONS rule 12), kept beside the request without widening the shared context type. */
const loaders = new WeakMap<object, DriftLoader>();

/** Drift in GraphQL: `driftFindings`, `driftSummary` and `Cluster.drift`, over the REST controller's service. */
@Resolver(() => ClusterModel)
export class DriftResolver {
  constructor(
    private readonly drift: DriftService,
    private readonly events: DriftEventsPubSub,
  ) {}

  @Subscription(() => DriftEventModel, {
    description: 'Drift events fleet-wide (or of one cluster): findings opened, resolved, contested; repairs started',
    resolve: (payload: DriftEventMessage) => payload,
    filter: (payload: DriftEventMessage, args: DriftEventsArgs) => !args.cluster || payload.cluster === args.cluster,
  })
  driftEvents(@Args() _args: DriftEventsArgs): AsyncIterableIterator<DriftEventMessage> {
    return this.events.iterator();
  }

  @Query(() => DriftFindingConnection, { description: 'Open (and contested) drift findings across the fleet, oldest first', complexity: pageComplexity })
  async driftFindings(@CurrentActor() actor: Actor, @Args() args: DriftFindingsArgs): Promise<Connection<DriftFindingModel>> {
    const page = await this.drift.list(actor, {
      labelSelector: args.labelSelector ?? undefined,
      kind: args.kind ?? undefined,
      binding: args.binding ?? undefined,
      template: args.template ?? undefined,
      limit: args.first ?? undefined,
      cursor: args.after ?? undefined,
    });
    return toConnection(page, (f) => ({ at: f.firstSeenAt.toISOString(), id: f.id }), toModel);
  }

  @Mutation(() => DriftScanRequestModel, { description: 'Queues a drift scan of one cluster (by name or id) or of the clusters a label selector chooses (every cluster without either)' })
  @RequireRole('operator')
  async requestDriftScan(
    @CurrentActor() actor: Actor,
    @Args('cluster', { type: () => String, nullable: true }) cluster?: string | null,
    @Args('labelSelector', { type: () => String, nullable: true }) labelSelector?: string | null,
  ): Promise<DriftScanRequestModel> {
    if (cluster && labelSelector) throw DomainError.validation('Give a cluster or a label selector', [{ field: 'labelSelector', message: 'cannot be combined with cluster' }]);
    if (cluster) return { scanIds: [(await this.drift.requestScan(actor, cluster)).id], clusters: 1 };
    return this.drift.requestFleetScan(actor, labelSelector ? { labelSelector } : {});
  }

  @ResolveField('resolvedFindings', () => [DriftFindingModel], { description: "The cluster's resolved findings, newest first", complexity: ({ childComplexity }) => 1 + 20 * Math.max(childComplexity, 1) })
  async resolvedFindings(@Parent() cluster: ClusterModel, @CurrentActor() actor: Actor, @Args() args: ResolvedFindingsArgs): Promise<DriftFindingModel[]> {
    const last = args.last ?? 20;
    if (!Number.isInteger(last) || last < 1 || last > 100) throw DomainError.validation('Invalid page size', [{ field: 'last', message: 'must be an integer between 1 and 100' }]);
    return (await this.drift.forCluster(actor, cluster.id, last)).history.map(toModel);
  }

  @Query(() => DriftSummaryModel, { description: 'Clusters in sync, drifted, unreachable and never scanned (optionally of a label selector)' })
  driftSummary(@CurrentActor() actor: Actor, @Args() args: DriftSummaryArgs): Promise<DriftSummaryModel> {
    return this.drift.summary(actor, args.labelSelector ?? undefined);
  }

  @ResolveField('drift', () => ClusterDriftModel, { description: "The cluster's drift at its last scan", complexity: ({ childComplexity }) => 1 + 10 * Math.max(childComplexity, 1) })
  async clusterDrift(@Parent() cluster: ClusterModel, @CurrentActor() actor: Actor, @Context() ctx: GqlContext): Promise<ClusterDriftModel> {
    let loader = loaders.get(ctx.req);
    if (!loader) {
      loader = new DataLoader<string, ClusterDriftModel>(async (ids) => {
        const found = await this.drift.forClusterIds(actor, ids);
        return ids.map((id) => {
          const d = found.get(id);
          return {
            state: STATE[clusterDriftState(d?.state ?? null)],
            lastScanAt: d?.state?.lastScanAt ?? null,
            lastSuccessAt: d?.state?.lastSuccessAt ?? null,
            openFindings: d?.current.length ?? 0,
            findings: (d?.current ?? []).map(toModel),
          };
        });
      });
      loaders.set(ctx.req, loader);
    }
    return loader.load(cluster.id);
  }
}

/** `DriftFinding.cluster` through the per-request cluster loader. */
@Resolver(() => DriftFindingModel)
export class DriftFindingResolver {
  @ResolveField('cluster', () => ClusterModel, { description: 'the cluster the finding belongs to' })
  async cluster(@Parent() finding: DriftFindingModel, @Context() ctx: GqlContext): Promise<ClusterModel> {
    const c = await ctx.loaders.byId.load(finding.clusterId);
    if (!c) throw DomainError.notFound('Cluster', finding.clusterName);
    return toClusterModel(c);
  }
}
