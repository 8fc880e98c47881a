import type { Actor, Cluster, ClusterService, DriftWatchStatusService, WatchStatus } from '@fleetgate/core';
import DataLoader from 'dataloader';

/** Per-request loaders (CONVENTIONS rule 12): one query per field per request, whatever the list size. */
export interface ClusterLoaders {
  byId: DataLoader<string, Cluster | null>;
  userClustersBySeedId: DataLoader<string, Cluster[]>;
  watchById: DataLoader<string, WatchStatus>;
}

export function createClusterLoaders(clusters: ClusterService, watches: DriftWatchStatusService, actor: () => Actor): ClusterLoaders {
  return {
    watchById: new DataLoader(async (ids) => {
      const found = await watches.statuses(actor(), ids);
      return ids.map((id) => found.get(id) ?? 'off');
    }),
    byId: new DataLoader(async (ids) => {
      const found = new Map((await clusters.getMany(actor(), ids)).map((c) => [c.id, c]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    userClustersBySeedId: new DataLoader(async (seedIds) => {
      const bySeed = new Map<string, Cluster[]>();
      for (const c of await clusters.userClustersOf(actor(), seedIds)) {
        if (c.seedId) bySeed.set(c.seedId, [...(bySeed.get(c.seedId) ?? []), c]);
      }
      return seedIds.map((id) => bySeed.get(id) ?? []);
    }),
  };
}
