import { z } from 'zod';

export const gateKey = z
  .string()
  .max(63, { message: 'must be at most 63 characters' })
  .regex(/^[a-z][A-Za-z0-9]*$/, { message: 'must be a lowerCamelCase identifier (letters and digits, starting with a lowercase letter)' });

/** Gate values by key: `{"apiserverNetworkPolicy": true}`. */
export const gateValuesSchema = z.record(gateKey, z.boolean({ message: 'must be true or false' }));

export const createFeatureGateSchema = z.strictObject({
  key: gateKey,
  description: z.string().min(1).max(2000),
  default: z.boolean({ message: 'must be true or false' }),
});
export type CreateFeatureGateInput = z.input<typeof createFeatureGateSchema>;

/** The default is fixed once created: changing it would change gate values outside a rollout. */
export const updateFeatureGateSchema = z.strictObject({
  description: z.string().min(1).max(2000),
});
export type UpdateFeatureGateInput = z.input<typeof updateFeatureGateSchema>;

export const putDefaultingTemplateSchema = z.strictObject({
  featureGates: gateValuesSchema,
});
export type PutDefaultingTemplateInput = z.input<typeof putDefaultingTemplateSchema>;

export const gateFleetQuerySchema = z.strictObject({
  labelSelector: z.string().max(4096).optional(),
  role: z.enum(['seed', 'user'], { message: 'must be "seed" or "user"' }).optional(),
  /** `enabled=` (empty) means both */
  enabled: z
    .union([z.boolean(), z.enum(['true', 'false', ''], { message: 'must be "true" or "false"' })])
    .transform((v) => (v === '' ? undefined : v === true || v === 'true'))
    .optional(),
  limit: z.union([z.number(), z.string()]).optional(),
  cursor: z.string().min(1).max(1024).optional(),
});
export type GateFleetQuery = z.input<typeof gateFleetQuerySchema>;

export const listPageSchema = z.strictObject({
  limit: z.union([z.number(), z.string()]).optional(),
  cursor: z.string().min(1).max(1024).optional(),
});
export type ListPageInput = z.input<typeof listPageSchema>;

export const applyAssignedGateSchema = z.strictObject({
  clusterId: z.uuid({ message: 'must be a cluster id' }),
  key: gateKey,
  enabled: z.boolean(),
  rolloutId: z.string().min(1).max(255),
});
