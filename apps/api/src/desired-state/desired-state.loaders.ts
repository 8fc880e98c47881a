import type { Actor, AssignedPolicy, AssignedStateService, DesiredState, DesiredStateService, EffectiveGate, FeatureGateService } from '@fleetgate/core';
import DataLoader from 'dataloader';

/** Per-request loaders for a cluster's gates, desired and assigned state (CONVENTIONS rule 12). */
export interface PolicyLoaders {
  gatesByClusterId: DataLoader<string, EffectiveGate[]>;
  desiredByClusterId: DataLoader<string, DesiredState | null>;
  assignedByClusterId: DataLoader<string, AssignedPolicy[]>;
}

export interface PolicyLoaderServices {
  gates: FeatureGateService;
  desired: DesiredStateService;
  assigned: AssignedStateService;
}

export function createPolicyLoaders(s: PolicyLoaderServices, actor: () => Actor): PolicyLoaders {
  return {
    gatesByClusterId: new DataLoader(async (ids) => {
      const found = await s.gates.forClusterIds(actor(), ids);
      return ids.map((id) => found.get(id) ?? []);
    }),
    desiredByClusterId: new DataLoader(async (ids) => {
      const found = await s.desired.forClusterIds(actor(), ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    assignedByClusterId: new DataLoader(async (ids) => {
      const found = await s.assigned.forClusterIds(actor(), ids);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}
