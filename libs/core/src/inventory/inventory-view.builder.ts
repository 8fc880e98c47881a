/** Filtering and keyset paging of a stored inventory snapshot (pure; shared by REST and GraphQL). */
import { type Requirement, matches } from '@fleetgate/netpol';
import type { InventoryNamespace, InventoryPod, InventoryService } from './inventory.model.js';

export interface InventoryFilter {
  namespace?: string | undefined;
  /** parsed label selector: pods and namespaces by their labels, Services by their selector */
  selector: readonly Requirement[];
}

export interface KeyedPage<T> {
  items: T[];
  /** `namespace/name` of the last item when more follow, else null */
  endKey: string | null;
}

export const inventoryKey = (o: { namespace: string; name: string }): string => `${o.namespace}/${o.name}`;

export function filterNamespaces(namespaces: readonly InventoryNamespace[], f: InventoryFilter): InventoryNamespace[] {
  return namespaces.filter((n) => (f.namespace === undefined || n.name === f.namespace) && matches(f.selector, { ...n.labels, 'kubernetes.io/metadata.name': n.name }));
}

function page<T extends { namespace: string; name: string }>(items: readonly T[], f: InventoryFilter, after: string | null, limit: number, keep: (t: T) => boolean): KeyedPage<T> {
  const sorted = items
    .filter((t) => (f.namespace === undefined || t.namespace === f.namespace) && keep(t) && (after === null || inventoryKey(t) > after))
    .sort((a, b) => (inventoryKey(a) < inventoryKey(b) ? -1 : 1));
  const out = sorted.slice(0, limit);
  return { items: out, endKey: sorted.length > limit ? inventoryKey(out[out.length - 1]!) : null };
}

export function pagePods(pods: readonly InventoryPod[], f: InventoryFilter, after: string | null, limit: number): KeyedPage<InventoryPod> {
  return page(pods, f, after, limit, (p) => matches(f.selector, p.labels));
}

export function pageServices(services: readonly InventoryService[], f: InventoryFilter, after: string | null, limit: number): KeyedPage<InventoryService> {
  return page(services, f, after, limit, (s) => f.selector.length === 0 || (s.selector !== null && matches(f.selector, s.selector)));
}
