import { Args, ArgsType, Context, Field, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type ClusterInventory, decodeCursor, encodeCursor, pagePods, pageServices, pageSize, parseLabelSelector } from '@fleetgate/core';
import { z } from 'zod';
import { ClusterModel, type NetworkPolicyEnforcementEnum } from '../clusters/cluster.model.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { ClusterInventoryModel, InventoryPodConnection, InventoryServiceConnection } from './inventory.model.js';

const labelList = (l: Readonly<Record<string, string>>) =>
  Object.keys(l)
    .sort()
    .map((key) => ({ key, value: l[key]! }));

@ArgsType()
export class InventoryListArgs {
  @Field(() => Int, { nullable: true, description: 'page size, 1..100 (default 20)' })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;

  @Field(() => String, { nullable: true })
  namespace?: string;

  @Field(() => String, { nullable: true, description: 'pods by their labels, Services by their selector' })
  labelSelector?: string;
}

const keyCursor = z.object({ k: z.string() });

function pageArgs(args: InventoryListArgs) {
  const limit = pageSize(args.first, 'first');
  const selector = parseLabelSelector(args.labelSelector);
  const after = args.after ? decodeCursor(args.after, keyCursor, 'after').k : null;
  return { limit, filter: { namespace: args.namespace ?? undefined, selector }, after };
}

function connection<T extends { namespace: string; name: string }, M>(page: { items: T[]; endKey: string | null }, map: (t: T) => M) {
  return {
    edges: page.items.map((t) => ({ cursor: encodeCursor({ k: `${t.namespace}/${t.name}` }), node: map(t) })),
    pageInfo: { hasNextPage: page.endKey !== null, endCursor: page.endKey === null ? (page.items.length ? encodeCursor({ k: `${page.items.at(-1)!.namespace}/${page.items.at(-1)!.name}` }) : null) : encodeCursor({ k: page.endKey }) },
  };
}

/** `cluster { inventory { … pods(first, after) … } }`: through the per-request inventory loader. */
@Resolver(() => ClusterModel)
export class ClusterInventoryFieldResolver {
  @ResolveField('inventory', () => ClusterInventoryModel, { nullable: true, description: "The cluster's last inventory (null: never scanned)" })
  async inventory(@Parent() cluster: ClusterModel, @Context() ctx: GqlContext): Promise<ClusterInventoryModel | null> {
    const inv = await ctx.loaders.inventoryByClusterId.load(cluster.id);
    if (!inv) return null;
    return {
      clusterId: inv.clusterId,
      observedAt: inv.observedAt,
      status: inv.status,
      error: inv.error,
      truncated: inv.truncated,
      counts: inv.counts,
      serverVersion: inv.serverVersion,
      networkPolicyEnforcement: inv.enforcement.networkPolicyEnforcement as NetworkPolicyEnforcementEnum,
      cni: inv.enforcement.cni,
      cniVersion: inv.enforcement.cniVersion,
      serviceErrors: inv.serviceErrors,
      namespaces: inv.snapshot.namespaces.map((n) => ({ name: n.name, labels: labelList(n.labels) })),
    };
  }
}

@Resolver(() => ClusterInventoryModel)
export class ClusterInventoryResolver {
  @ResolveField('pods', () => InventoryPodConnection, { complexity: ({ args, childComplexity }) => 1 + Number(args.first ?? 20) * Math.max(childComplexity, 1) })
  async pods(@Parent() parent: ClusterInventoryModel, @Args() args: InventoryListArgs, @Context() ctx: GqlContext): Promise<InventoryPodConnection> {
    const inv = (await ctx.loaders.inventoryByClusterId.load(parent.clusterId)) as ClusterInventory;
    const { limit, filter, after } = pageArgs(args);
    return connection(pagePods(inv.snapshot.pods, filter, after, limit), (p) => ({
      ...p,
      labels: labelList(p.labels),
      ports: p.ports.map((cp) => ({ name: cp.name ?? null, containerPort: cp.containerPort, protocol: cp.protocol })),
    }));
  }

  @ResolveField('services', () => InventoryServiceConnection, { complexity: ({ args, childComplexity }) => 1 + Number(args.first ?? 20) * Math.max(childComplexity, 1) })
  async services(@Parent() parent: ClusterInventoryModel, @Args() args: InventoryListArgs, @Context() ctx: GqlContext): Promise<InventoryServiceConnection> {
    const inv = (await ctx.loaders.inventoryByClusterId.load(parent.clusterId)) as ClusterInventory;
    const { limit, filter, after } = pageArgs(args);
    return connection(pageServices(inv.snapshot.services, filter, after, limit), (s) => ({
      namespace: s.namespace,
      name: s.name,
      selector: s.selector ? labelList(s.selector) : null,
      annotations: labelList(s.annotations),
      ports: s.ports.map((p) => ({ name: p.name ?? null, port: p.port, targetPort: String(p.targetPort), protocol: p.protocol })),
    }));
  }
}
