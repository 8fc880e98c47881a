import { Injectable } from '@nestjs/common';
import { matches } from '@fleetgate/netpol';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, assertRole } from '../auth/actor.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { isUuid } from '../clusters/cluster.schemas.js';
import { DomainError, parseOrThrow } from '../errors/index.js';
import { decodeCursor, encodeCursor, pageSize } from '../pagination/index.js';
import { parseLabelSelector } from '../selectors/index.js';
import type { ClusterInventory, InventoryNamespace, InventoryPod, InventoryService as InventoryServiceObject } from './inventory.model.js';
import { InventoryRepository } from './inventory.repository.js';
import { InventoryScanService } from './inventory-scan.service.js';

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

const keyOf = (o: { namespace: string; name: string }) => `${o.namespace}/${o.name}`;

/** Reads a cluster's inventory (filters, pages) and asks for a scan. */
@Injectable()
export class ClusterInventoryService {
  constructor(
    private readonly clusters: ClusterRepository,
    private readonly inventories: InventoryRepository,
    private readonly scans: InventoryScanService,
    private readonly audit: AuditService,
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
    const inNs = <T extends { namespace: string }>(o: T) => q.namespace === undefined || o.namespace === q.namespace;
    const namespaces = inv.snapshot.namespaces.filter((n) => (q.namespace === undefined || n.name === q.namespace) && matches(selector, { ...n.labels, 'kubernetes.io/metadata.name': n.name }));
    const page = <T extends { namespace: string; name: string }>(items: T[], from: string | null, keep: (t: T) => boolean) => {
      if (from === '') return { items: [] as T[], next: '' };
      const sorted = items.filter((t) => inNs(t) && keep(t) && (from === null || keyOf(t) > from)).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
      const more = sorted.length > limit;
      const items2 = sorted.slice(0, limit);
      return { items: items2, next: more ? keyOf(items2[items2.length - 1]!) : '' };
    };
    const pods = page(inv.snapshot.pods, after.pods, (p) => matches(selector, p.labels));
    const services = page(inv.snapshot.services, after.services, (s) => selector.length === 0 || (s.selector !== null && matches(selector, s.selector)));
    const { snapshot: _s, ...summary } = inv;
    const done = pods.next === '' && services.next === '';
    return { ...summary, cluster, namespaces, services: services.items, pods: pods.items, nextCursor: done ? null : encodeCursor({ pods: pods.next, services: services.next }) };
  }

  /** For per-request DataLoaders and cluster views: inventory summaries of many clusters. */
  async summariesOf(actor: Actor, clusterIds: readonly string[]): Promise<Map<string, Omit<ClusterInventory, 'snapshot'>>> {
    assertRole(actor, 'viewer', 'Reading cluster inventories');
    return new Map((await this.inventories.summariesOf(clusterIds)).map((s) => [s.clusterId, s]));
  }

  /** `POST /clusters/{id}/inventory-scan`: scans now and returns the fresh inventory. */
  async scanNow(actor: Actor, ref: string, query: InventoryQuery = {}): Promise<InventoryView> {
    assertRole(actor, 'operator', 'Scanning cluster inventories');
    const cluster = await this.clusterRef(ref);
    await this.audit.record(actor, 'cluster.inventory-scan', `cluster/${cluster.name}`, {});
    await this.scans.scan(actor, [cluster.id]);
    return this.get(actor, cluster.id, query);
  }

  private async clusterRef(ref: string): Promise<Cluster> {
    const c = isUuid(ref) ? await this.clusters.findById(ref.toLowerCase()) : await this.clusters.findByName(ref);
    if (!c) throw DomainError.notFound('Cluster', ref);
    return c;
  }
}
