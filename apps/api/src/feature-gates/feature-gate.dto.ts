import type { DefaultingTemplate, DefaultingTemplateChange, EffectiveGate, FeatureGateDefinition, GateFleetView } from '@fleetgate/core';
import { z } from 'zod';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface FeatureGateDto {
  key: string;
  description: string;
  default: boolean;
  builtIn: boolean;
  createdAt: string;
  updatedAt: string;
}

export const toFeatureGateDto = (g: FeatureGateDefinition): FeatureGateDto => ({
  key: g.key,
  description: g.description,
  default: g.defaultValue,
  builtIn: g.builtIn,
  createdAt: g.createdAt.toISOString(),
  updatedAt: g.updatedAt.toISOString(),
});

export interface ClusterGateDto {
  key: string;
  enabled: boolean;
  source: 'explicit' | 'seedTemplate' | 'default';
  since: string | null;
  rolloutId: string | null;
}

export const toClusterGateDto = (g: EffectiveGate): ClusterGateDto => ({ key: g.key, enabled: g.enabled, source: g.source, since: iso(g.since), rolloutId: g.rolloutId });

export interface DefaultingTemplateDto {
  seed: string;
  featureGates: Record<string, boolean>;
  updatedAt: string | null;
  updatedBy: string | null;
  appliesTo?: string;
  existingUserClustersUnchanged?: number;
}

export function toDefaultingTemplateDto(t: DefaultingTemplate | DefaultingTemplateChange): DefaultingTemplateDto {
  return {
    seed: t.seed,
    featureGates: t.featureGates,
    updatedAt: iso(t.updatedAt),
    updatedBy: t.updatedBy,
    ...('appliesTo' in t ? { appliesTo: t.appliesTo, existingUserClustersUnchanged: t.existingUserClustersUnchanged } : {}),
  };
}

export interface GateFleetDto {
  gate: string;
  default: boolean;
  counts: { on: number; off: number; total: number };
  items: { cluster: { id: string; name: string; role: 'seed' | 'user' }; enabled: boolean; source: string; since: string | null }[];
  nextCursor: string | null;
}

export const toGateFleetDto = (v: GateFleetView): GateFleetDto => ({
  gate: v.gate.key,
  default: v.gate.defaultValue,
  counts: v.counts,
  items: v.items.map((r) => ({ cluster: { id: r.clusterId, name: r.name, role: r.role }, enabled: r.enabled, source: r.source, since: iso(r.since) })),
  nextCursor: v.nextCursor,
});

/** For OpenAPI only. */
export const featureGateDtoSchema = z.object({ key: z.string(), description: z.string(), default: z.boolean(), builtIn: z.boolean(), createdAt: z.string(), updatedAt: z.string() });
export const clusterGatesDtoSchema = z.object({
  items: z.array(z.object({ key: z.string(), enabled: z.boolean(), source: z.enum(['explicit', 'seedTemplate', 'default']), since: z.string().nullable(), rolloutId: z.string().nullable() })),
});
export const defaultingTemplateDtoSchema = z.object({
  seed: z.string(),
  featureGates: z.record(z.string(), z.boolean()),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  appliesTo: z.string().optional(),
  existingUserClustersUnchanged: z.number().int().optional(),
});
export const gateFleetDtoSchema = z.object({
  gate: z.string(),
  default: z.boolean(),
  counts: z.object({ on: z.number().int(), off: z.number().int(), total: z.number().int() }),
  items: z.array(z.object({ cluster: z.object({ id: z.string(), name: z.string(), role: z.enum(['seed', 'user']) }), enabled: z.boolean(), source: z.string(), since: z.string().nullable() })),
  nextCursor: z.string().nullable(),
});
