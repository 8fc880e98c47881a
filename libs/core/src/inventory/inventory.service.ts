import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { type Actor, assertRole } from '../auth/actor.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { isUuid } from '../clusters/cluster.schemas.js';
import { DomainError, parseOrThrow } from '../errors/index.js';
import { decodeCursor, encodeCursor, pageSize } from '../pagination/index.js';
import { parseLabelSelector } from '../selectors/index.js';
import type { ClusterInventory, InventoryNamespace, InventoryPod, InventoryService as InventoryServiceObject } from './inventory.model.js';
import { InventoryRepository } from './inventory.repository.js';
import { filterNamespaces, pagePods, pageServices } from './inventory-view.builder.js';

export const inventoryQuerySchema = z.object({
  namespace: z.string().trim().min(1).max(63).optional(),
  labelSelector: z.string().optional(),
  limit: z.union([z.string(), z.number()]).optional(),
  cursor: z.string().optional(),
});
export type InventoryQuery = z.input<typeof inventoryQuerySchema>;

const cursorSchema = z.object({ pods: z.string().nullable(), services: z.string().nullable() });

export interface InventoryView extends Omit<ClusterInventory, 'snapshot'> {
  cluster: Cluster;
  namespaces: InventoryNamespace[];
  /** one page, in namespace/name order */
  services: InventoryServiceObject[];
  /** one page, in namespace/name order */
  pods: InventoryPod[];
  /** the cursor of the next page of services and pods; null when both are done */
  nextCursor: string | null;
}


/** Reads a cluster's inventory (filters, pages) and asks for a scan. */
@Injectable()
export class ClusterInventoryService {
  constructor(
    private readonly clusters: ClusterRepository,
    private readonly inventories: InventoryRepository,
  ) {}

  /** `GET /clusters/{id}/inventory`: counts, namespaces, and a page of services and pods. */
  async get(actor: Actor, ref: string, input: InventoryQuery = {}): Promise<InventoryView> {
    assertRole(actor, 'viewer', 'Reading cluster inventories');
    const q = parseOrThrow(inventoryQuerySchema, input, 'query');
    const limit = pageSize(q.limit);
    const selector = parseLabelSelector(q.labelSelector);
    const after = q.cursor ? decodeCursor(q.cursor, cursorSchema) : { pods: null, services: null };
    const cluster = await this.clusterRef(ref);
    const inv = await this.inventories.find(cluster.id);
    if (!inv) throw DomainError.notFound('Inventory of cluster', cluster.name);
    const filter = { namespace: q.namespace, selector };
    // '' in the cursor: that list is done
    const pods = after.pods === '' ? { items: [], endKey: null } : pagePods(inv.snapshot.pods, filter, after.pods, limit);
    const services = after.services === '' ? { items: [], endKey: null } : pageServices(inv.snapshot.services, filter, after.services, limit);
    const { snapshot: _s, ...summary } = inv;
    const done = pods.endKey === null && services.endKey === null;
    return {
      ...summary,
      cluster,
      namespaces: filterNamespaces(inv.snapshot.namespaces, filter),
      services: services.items,
      pods: pods.items,
      nextCursor: done ? null : encodeCursor({ pods: pods.endKey ?? '', services: services.endKey ?? '' }),
    };
  }

  /** For per-request DataLoaders: full inventories of many clusters (GraphQL pages them). */
  async ofClusterIds(actor: Actor, clusterIds: readonly string[]): Promise<Map<string, ClusterInventory>> {
    assertRole(actor, 'viewer', 'Reading cluster inventories');
    return new Map((await this.inventories.ofClusters(clusterIds)).map((i) => [i.clusterId, i]));
  }

  /** For per-request DataLoaders and cluster views: inventory summaries of many clusters. */
  async summariesOf(actor: Actor, clusterIds: readonly string[]): Promise<Map<string, Omit<ClusterInventory, 'snapshot'>>> {
    assertRole(actor, 'viewer', 'Reading cluster inventories');
    return new Map((await this.inventories.summariesOf(clusterIds)).map((s) => [s.clusterId, s]));
  }

  /** The cluster a reference names (name or id). */
  async clusterOf(actor: Actor, ref: string): Promise<Cluster> {
    assertRole(actor, 'viewer', 'Reading cluster inventories');
    return this.clusterRef(ref);
  }

  private async clusterRef(ref: string): Promise<Cluster> {
    const c = isUuid(ref) ? await this.clusters.findById(ref.toLowerCase()) : await this.clusters.findByName(ref);
    if (!c) throw DomainError.notFound('Cluster', ref);
    return c;
  }
}
