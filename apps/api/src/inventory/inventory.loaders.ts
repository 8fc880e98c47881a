import type { Actor, ClusterInventory, ClusterInventoryService } from '@fleetgate/core';
import DataLoader from 'dataloader';

/** Per-request loader: the inventories of every cluster a query touches, in one query. */
export interface InventoryLoaders {
  inventoryByClusterId: DataLoader<string, ClusterInventory | null>;
}

export function createInventoryLoaders(inventory: ClusterInventoryService, actor: () => Actor): InventoryLoaders {
  return {
    inventoryByClusterId: new DataLoader(async (ids) => {
      const found = await inventory.ofClusterIds(actor(), ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
