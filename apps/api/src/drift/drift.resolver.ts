import { Args, Context, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { type Actor, type DriftEventMessage, type DriftFindingView, DriftService, encodeCursor } from '@fleetgate/core';
import DataLoader from 'dataloader';
import { ClusterModel } from '../clusters/cluster.model.js';
import { CurrentActor } from '../common/auth.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { DriftEventsPubSub } from './drift-events.pubsub.js';
import { clusterDriftState } from './drift.dto.js';
import {
  ClusterDriftModel,
  ClusterDriftStateEnum,
  type DriftFindingConnection,
  DriftFindingConnection as DriftFindingConnectionType,
  type DriftFindingModel,
  DriftEventModel,
  DriftEventsArgs,
  DriftFindingsArgs,
  type DriftKindEnum,
  type DriftStatusEnum,
  DriftSummaryArgs,
  DriftSummaryModel,
} from './drift.model.js';

const toModel = (f: DriftFindingView): DriftFindingModel => ({
  id: f.id,
  kind: f.kind as DriftKindEnum,
  status: f.status as DriftStatusEnum,
  cluster: f.clusterName,
  target: f.target,
  diff: f.diff.map((d) => ({ path: d.path, expected: d.expected ?? null, actual: d.actual ?? null })),
  changedBy: f.changedBy,
  binding: f.binding,
  template: f.template,
  driftMode: f.driftMode,
  stale: f.stale,
  firstSeenAt: f.firstSeenAt,
  lastSeenAt: f.lastSeenAt,
  resolvedAt: f.resolvedAt,
  resolution: f.resolution,
  contestedAt: f.contestedAt,
});

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

  @Query(() => DriftFindingConnectionType, {
    description: 'Open (and contested) drift findings across the fleet, oldest first',
    complexity: ({ args, childComplexity }) => 1 + Math.min(Number(args.first ?? 20), 100) * Math.max(childComplexity, 1),
  })
  async driftFindings(@CurrentActor() actor: Actor, @Args() args: DriftFindingsArgs): Promise<DriftFindingConnection> {
    const page = await this.drift.list(actor, {
      labelSelector: args.labelSelector ?? undefined,
      kind: args.kind ?? undefined,
      binding: args.binding ?? undefined,
      template: args.template ?? undefined,
      limit: args.first ?? undefined,
      cursor: args.after ?? undefined,
    });
    const edges = page.items.map((f) => ({ cursor: encodeCursor({ at: f.firstSeenAt.toISOString(), id: f.id }), node: toModel(f) }));
    return { edges, pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: page.nextCursor } };
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
