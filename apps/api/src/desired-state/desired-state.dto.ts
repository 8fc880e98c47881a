import type { AssignedPolicy, BindingRenderError, ClusterPlan, DesiredPolicy, DesiredState, NameConflict } from '@fleetgate/core';
import { z } from 'zod';

export interface DesiredPolicyDto {
  target: DesiredPolicy['target'];
  name: string;
  policy: DesiredPolicy['policy'];
  hash: string;
  origin: {
    binding: string;
    template: string;
    version: number;
    gate: string | null;
    /** `template` (rendered) or `derived` (from the inventory, with the Service/namespace it comes from) */
    kind: 'template' | 'derived';
    source?: { service: string | null; namespace: string; reason: string };
  };
  driftMode: 'enforce' | 'inform';
}

export interface DesiredPoliciesDto {
  cluster: string;
  items: DesiredPolicyDto[];
  /** objects two bindings both want on the same target: left out, to be resolved by an admin */
  conflicts: NameConflict[];
  errors: BindingRenderError[];
}

export const toDesiredPolicyDto = (p: DesiredPolicy): DesiredPolicyDto => ({
  target: p.target,
  name: p.name,
  policy: p.policy,
  hash: p.hash,
  origin: {
    binding: p.origin.binding,
    template: p.origin.template,
    version: p.origin.version,
    gate: p.origin.gate,
    kind: p.origin.kind ?? 'template',
    ...(p.origin.source ? { source: p.origin.source } : {}),
  },
  driftMode: p.driftMode,
});

export const toDesiredPoliciesDto = (s: DesiredState): DesiredPoliciesDto => ({
  cluster: s.cluster,
  items: s.policies.map(toDesiredPolicyDto),
  conflicts: s.conflicts,
  errors: s.errors,
});

export interface AssignedPolicyDto {
  target: AssignedPolicy['target'];
  name: string;
  policy: AssignedPolicy['policy'];
  hash: string;
  origin: { binding: string; template: string; version: number; gate: string | null };
  rolloutId: string | null;
  assignedAt: string;
}

export const toAssignedPolicyDto = (p: AssignedPolicy): AssignedPolicyDto => ({
  target: p.target,
  name: p.name,
  policy: p.policy,
  hash: p.hash,
  origin: { binding: p.origin.binding, template: p.origin.template, version: p.origin.version, gate: p.origin.gate },
  rolloutId: p.rolloutId,
  assignedAt: p.assignedAt.toISOString(),
});

export interface PlanDto {
  cluster: string;
  items: { action: 'create' | 'update' | 'delete'; target: DesiredPolicy['target']; name: string; desiredHash: string | null; assignedHash: string | null; origin: AssignedPolicyDto['origin'] }[];
  counts: ClusterPlan['counts'];
  conflicts: NameConflict[];
  errors: BindingRenderError[];
}

export const toPlanDto = (p: ClusterPlan): PlanDto => ({
  cluster: p.cluster,
  items: p.steps.map((s) => ({
    action: s.action,
    target: s.target,
    name: s.name,
    desiredHash: s.desiredHash,
    assignedHash: s.assignedHash,
    origin: { binding: s.origin.binding, template: s.origin.template, version: s.origin.version, gate: s.origin.gate },
  })),
  counts: p.counts,
  conflicts: p.conflicts,
  errors: p.errors,
});

const target = z.object({ cluster: z.string(), namespace: z.string().nullable(), namespaceRule: z.object({ globs: z.array(z.string()), selectors: z.array(z.unknown()) }).nullable() });
const origin = z.object({ binding: z.string(), template: z.string(), version: z.number().int(), gate: z.string().nullable() });
/** For OpenAPI only. */
export const desiredPoliciesDtoSchema = z.object({
  cluster: z.string(),
  items: z.array(
    z.object({
      target,
      name: z.string(),
      policy: z.record(z.string(), z.unknown()),
      hash: z.string(),
      origin: origin.extend({
        kind: z.enum(['template', 'derived']),
        source: z.object({ service: z.string().nullable(), namespace: z.string(), reason: z.string() }).optional(),
      }),
      driftMode: z.enum(['enforce', 'inform']),
    }),
  ),
  conflicts: z.array(z.object({ key: z.string(), target, name: z.string(), bindings: z.array(z.string()) })),
  errors: z.array(z.object({ binding: z.string(), template: z.string(), version: z.number().int(), field: z.string(), message: z.string() })),
});
export const assignedPoliciesDtoSchema = z.object({
  items: z.array(z.object({ target, name: z.string(), policy: z.record(z.string(), z.unknown()), hash: z.string(), origin, rolloutId: z.string().nullable(), assignedAt: z.string() })),
});
export const planDtoSchema = z.object({
  cluster: z.string(),
  items: z.array(z.object({ action: z.enum(['create', 'update', 'delete']), target, name: z.string(), desiredHash: z.string().nullable(), assignedHash: z.string().nullable(), origin })),
  counts: z.object({ create: z.number().int(), update: z.number().int(), delete: z.number().int(), unchanged: z.number().int() }),
});
