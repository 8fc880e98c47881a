import type { AffectedClusters, BindingChange, PolicyBinding } from '@fleetgate/core';
import { z } from 'zod';

export interface BindingDto {
  id: string;
  name: string;
  description: string;
  template: string;
  version: number;
  clusterSelector: string;
  clusterRole: 'seed' | 'user' | null;
  placement: PolicyBinding['placement'];
  gate: string | null;
  parameters: Record<string, unknown>;
  driftMode: 'enforce' | 'inform';
  builtIn: boolean;
  createdAt: string;
  updatedAt: string;
}

export const toBindingDto = (b: PolicyBinding): BindingDto => ({
  id: b.id,
  name: b.name,
  description: b.description,
  template: b.template,
  version: b.version,
  clusterSelector: b.clusterSelector,
  clusterRole: b.clusterRole,
  placement: b.placement,
  gate: b.gate,
  parameters: b.parameters,
  driftMode: b.driftMode,
  builtIn: b.builtIn,
  createdAt: b.createdAt.toISOString(),
  updatedAt: b.updatedAt.toISOString(),
});

export interface BindingChangeDto {
  binding: BindingDto;
  affectedClusters: AffectedClusters;
}

export const toBindingChangeDto = (c: BindingChange): BindingChangeDto => ({ binding: toBindingDto(c.binding), affectedClusters: c.affectedClusters });

/** For OpenAPI only. */
export const bindingDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  template: z.string(),
  version: z.number().int(),
  clusterSelector: z.string(),
  clusterRole: z.enum(['seed', 'user']).nullable(),
  placement: z.record(z.string(), z.unknown()),
  gate: z.string().nullable(),
  parameters: z.record(z.string(), z.unknown()),
  driftMode: z.enum(['enforce', 'inform']),
  builtIn: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const bindingChangeDtoSchema = z.object({
  binding: bindingDtoSchema,
  affectedClusters: z.object({ count: z.number().int(), items: z.array(z.object({ id: z.string(), name: z.string() })) }),
});
