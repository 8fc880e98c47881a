import { z } from 'zod';
import { dns1123Label } from '../clusters/cluster.schemas.js';
import { gateKey } from '../feature-gates/feature-gate.schemas.js';

const glob = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?$/, { message: "must be a namespace glob: lowercase letters, digits, '-', '*' and '?'" });

export const labelSelectorSchema = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist'], { message: 'must be In, NotIn, Exists or DoesNotExist' }),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

export const placementSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('controlPlaneNamespace') }),
    z
      .strictObject({
        kind: z.literal('namespaces'),
        names: z.array(dns1123Label).max(100).default([]),
        globs: z.array(glob).max(100).default([]),
        selectors: z.array(labelSelectorSchema).max(20).default([]),
      })
      .refine((p) => p.names.length + p.globs.length + p.selectors.length > 0, { message: 'give at least one namespace name, glob or selector', path: ['names'] }),
  ],
  { message: 'kind must be "namespaces" or "controlPlaneNamespace"' },
);

const fields = {
  description: z.string().max(2000),
  template: z.string().min(1).max(255),
  version: z.number({ message: 'must be a version number' }).int().min(1, { message: 'must be a version number (1, 2, …)' }),
  clusterSelector: z.string().max(4096),
  clusterRole: z.enum(['seed', 'user'], { message: 'must be "seed" or "user"' }).nullable(),
  placement: placementSchema,
  gate: gateKey.nullable(),
  parameters: z.record(z.string(), z.unknown()),
  driftMode: z.enum(['enforce', 'inform'], { message: 'must be "enforce" or "inform"' }),
};

export const createBindingSchema = z.strictObject({
  name: dns1123Label,
  description: fields.description.default(''),
  template: fields.template,
  version: fields.version,
  clusterSelector: fields.clusterSelector.default(''),
  clusterRole: fields.clusterRole.default(null),
  placement: fields.placement,
  gate: fields.gate.default(null),
  parameters: fields.parameters.default({}),
  driftMode: fields.driftMode.default('enforce'),
});
export type CreateBindingInput = z.input<typeof createBindingSchema>;

export const updateBindingSchema = z.strictObject({
  description: fields.description.optional(),
  template: fields.template.optional(),
  version: fields.version.optional(),
  clusterSelector: fields.clusterSelector.optional(),
  clusterRole: fields.clusterRole.optional(),
  placement: fields.placement.optional(),
  gate: fields.gate.optional(),
  parameters: fields.parameters.optional(),
  driftMode: fields.driftMode.optional(),
});
export type UpdateBindingInput = z.input<typeof updateBindingSchema>;
