import { PARAMETER_TYPES } from '@fleetgate/netpol';
import { z } from 'zod';
import { dns1123Label } from '../clusters/cluster.schemas.js';

/** Template names are label values too (they label every object rendered from them). */
export const templateName = dns1123Label;

export const parameterDeclarationSchema = z.strictObject({
  name: z.string().min(1).max(63),
  type: z.enum(PARAMETER_TYPES as [string, ...string[]], { message: `must be one of ${PARAMETER_TYPES.join(', ')}` }),
  description: z.string().max(1000).optional(),
  required: z.boolean().optional(),
  default: z.unknown().optional(),
});

const jsonBody = z.custom<unknown>((v) => v !== undefined && v !== null && typeof v === 'object', {
  message: 'must be a NetworkPolicy template (a JSON object, or a list of them)',
});

export const publishVersionSchema = z.strictObject({
  body: jsonBody,
  parameters: z.array(parameterDeclarationSchema).max(64).default([]),
  changelog: z.string().min(1, { message: 'must say what changed' }).max(1000),
  /** parameter values for the validation render (defaults and type samples otherwise) */
  sampleParameters: z.record(z.string(), z.unknown()).default({}),
});
export type PublishVersionInput = z.input<typeof publishVersionSchema>;

export const createTemplateSchema = z.strictObject({
  name: templateName,
  description: z.string().min(1).max(2000),
  initialVersion: publishVersionSchema.optional(),
});
export type CreateTemplateInput = z.input<typeof createTemplateSchema>;

export const renderVersionSchema = z.strictObject({
  cluster: z.string().min(1).max(255),
  parameters: z.record(z.string(), z.unknown()).default({}),
  /** where to render; default: the user cluster's control-plane namespace, else "default" */
  namespace: dns1123Label.optional(),
});
export type RenderVersionInput = z.input<typeof renderVersionSchema>;

export const versionNumber = z.coerce
  .number({ message: 'must be a version number' })
  .int()
  .min(1, { message: 'must be a version number (1, 2, …)' })
  .max(2_147_483_647, { message: 'must be a version number (at most 2147483647)' });
