import type { BindingChange, CreateBindingInput as CreateData, PolicyBinding, UpdateBindingInput as UpdateData } from '@fleetgate/core';
import type { ClusterRoleEnum } from '../clusters/cluster.model.js';
import type { DriftModeEnum } from '../desired-state/desired-state.model.js';
import type { CreateBindingInput, PlacementInput, UpdateBindingInput } from './binding.input.js';
import type { BindingChangeModel, BindingModel } from './binding.model.js';

export const toBindingModel = (b: PolicyBinding): BindingModel => ({
  ...b,
  clusterRole: b.clusterRole as ClusterRoleEnum | null,
  driftMode: b.driftMode as DriftModeEnum,
});

export const toBindingChangeModel = (c: BindingChange): BindingChangeModel => ({
  binding: toBindingModel(c.binding),
  affectedClusterCount: c.affectedClusters.count,
  affectedClusters: c.affectedClusters.items,
});

function placementData(p: PlacementInput): CreateData['placement'] {
  if (p.kind === 'controlPlaneNamespace') return { kind: 'controlPlaneNamespace' };
  return { kind: 'namespaces', ...(p.names ? { names: p.names } : {}), ...(p.globs ? { globs: p.globs } : {}), ...(p.selectors ? { selectors: p.selectors } : {}) } as CreateData['placement'];
}

/** GraphQL null means "not given" except for clusterRole and gate, where null clears. */
export function toCreateBindingData(i: CreateBindingInput): CreateData {
  return {
    name: i.name,
    template: i.template,
    version: i.version,
    placement: placementData(i.placement),
    ...(i.description != null ? { description: i.description } : {}),
    ...(i.clusterSelector != null ? { clusterSelector: i.clusterSelector } : {}),
    ...(i.clusterRole !== undefined ? { clusterRole: i.clusterRole } : {}),
    ...(i.gate !== undefined ? { gate: i.gate } : {}),
    ...(i.parameters != null ? { parameters: i.parameters } : {}),
    ...(i.driftMode != null ? { driftMode: i.driftMode } : {}),
  };
}

export function toUpdateBindingData(i: UpdateBindingInput): UpdateData {
  return {
    ...(i.description != null ? { description: i.description } : {}),
    ...(i.template != null ? { template: i.template } : {}),
    ...(i.version != null ? { version: i.version } : {}),
    ...(i.clusterSelector != null ? { clusterSelector: i.clusterSelector } : {}),
    ...(i.clusterRole !== undefined ? { clusterRole: i.clusterRole } : {}),
    ...(i.placement != null ? { placement: placementData(i.placement) } : {}),
    ...(i.gate !== undefined ? { gate: i.gate } : {}),
    ...(i.parameters != null ? { parameters: i.parameters } : {}),
    ...(i.driftMode != null ? { driftMode: i.driftMode } : {}),
  };
}
