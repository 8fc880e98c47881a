import { DomainError, type DefaultingTemplate, type DefaultingTemplateChange, type EffectiveGate, type FeatureGateDefinition, type GateFleetView } from '@fleetgate/core';
import type { ClusterRoleEnum } from '../clusters/cluster.model.js';
import { toConnection } from '../graphql/relay.model.js';
import type { GateValueInput } from './feature-gate.input.js';
import type { ClusterFeatureGateModel, DefaultingTemplateModel, FeatureGateModel, GateFleetModel, GateSourceEnum } from './feature-gate.model.js';

export const toFeatureGateModel = (g: FeatureGateDefinition): FeatureGateModel => ({ key: g.key, description: g.description, defaultValue: g.defaultValue, builtIn: g.builtIn, createdAt: g.createdAt });

export const toClusterFeatureGateModel = (g: EffectiveGate): ClusterFeatureGateModel => ({ ...g, source: g.source as GateSourceEnum });

export const toDefaultingTemplateModel = (t: DefaultingTemplate | DefaultingTemplateChange): DefaultingTemplateModel => ({
  seed: t.seed,
  featureGates: Object.entries(t.featureGates).map(([key, enabled]) => ({ key, enabled })),
  updatedAt: t.updatedAt,
  updatedBy: t.updatedBy,
  appliesTo: 'appliesTo' in t ? t.appliesTo : null,
  existingUserClustersUnchanged: 'appliesTo' in t ? t.existingUserClustersUnchanged : null,
});

export const toGateFleetModel = (v: GateFleetView): GateFleetModel => ({
  gate: toFeatureGateModel(v.gate),
  ...v.counts,
  ...toConnection(v, (r) => ({ name: r.name }), (r) => ({ clusterId: r.clusterId, name: r.name, role: r.role as ClusterRoleEnum, enabled: r.enabled, source: r.source as GateSourceEnum, since: r.since })),
});

/** `[{key, enabled}]` as the `{key: enabled}` map the services take; a key given twice is an error. */
export function gateValuesFromInput(values: GateValueInput[] | null | undefined, field = 'featureGates'): Record<string, boolean> | undefined {
  if (!values) return undefined;
  const out: Record<string, boolean> = {};
  for (const [i, v] of values.entries()) {
    if (Object.prototype.hasOwnProperty.call(out, v.key)) throw DomainError.validation('Invalid gate values', [{ field: `${field}.${i}.key`, message: `duplicate gate "${v.key}"` }]);
    out[v.key] = v.enabled;
  }
  return out;
}
