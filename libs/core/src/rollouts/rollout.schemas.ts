import { z } from 'zod';
import { ROLLOUT_KINDS, ROLLOUT_STATUSES, TARGET_STATES } from './rollout.model.js';

const selection = {
  labelSelector: z.string().max(2000).optional(),
  role: z.enum(['seed', 'user']).optional(),
  clusters: z.array(z.string().min(1).max(253)).max(100_000).optional(),
};

/** `POST /api/v1/rollouts` */
export const startRolloutSchema = z.strictObject({
  change: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('gate'), gate: z.string().min(1).max(200), enabled: z.boolean() }),
    z.strictObject({ kind: z.literal('binding'), binding: z.string().min(1).max(255) }),
    z.strictObject({ kind: z.literal('sync') }),
    z.strictObject({ kind: z.literal('repair') }),
  ]),
  targets: z.strictObject(selection).optional(),
  strategy: z.unknown().optional(),
  dryRun: z.boolean().optional(),
  /** a selection that matches no cluster is a 422 unless this is true (then: a rollout of 0 targets) */
  allowEmpty: z.boolean().optional(),
});
export type StartRolloutInput = z.input<typeof startRolloutSchema>;

/** `POST /api/v1/feature-gates/{key}/rollouts` */
export const gateRolloutSchema = z.strictObject({
  enabled: z.boolean(),
  ...selection,
  strategy: z.unknown().optional(),
  dryRun: z.boolean().optional(),
  allowEmpty: z.boolean().optional(),
});
export type GateRolloutInput = z.input<typeof gateRolloutSchema>;

/** `POST /api/v1/bindings/{id}/rollouts` */
export const bindingRolloutSchema = z.strictObject({
  ...selection,
  strategy: z.unknown().optional(),
  dryRun: z.boolean().optional(),
  allowEmpty: z.boolean().optional(),
});
export type BindingRolloutInput = z.input<typeof bindingRolloutSchema>;

/** `POST /api/v1/rollouts/{id}/rollback` */
export const rollbackSchema = z.strictObject({ strategy: z.unknown().optional(), dryRun: z.boolean().optional() });
export type RollbackInput = z.input<typeof rollbackSchema>;

/** `POST /api/v1/rollouts/{id}/retry`: every failed target, or the named ones */
export const retrySchema = z.strictObject({ clusters: z.array(z.string().min(1).max(253)).min(1).max(100_000).optional() });
export type RetryInput = z.input<typeof retrySchema>;

export const listRolloutsSchema = z.strictObject({
  status: z.enum(ROLLOUT_STATUSES).optional(),
  kind: z.enum(ROLLOUT_KINDS).optional(),
  cluster: z.string().min(1).max(253).optional(),
  limit: z.union([z.number(), z.string()]).optional(),
  cursor: z.string().min(1).optional(),
});
export type ListRolloutsInput = z.input<typeof listRolloutsSchema>;

export const listTargetsSchema = z.strictObject({
  state: z.enum(TARGET_STATES).optional(),
  limit: z.union([z.number(), z.string()]).optional(),
  cursor: z.string().min(1).optional(),
});
export type ListTargetsInput = z.input<typeof listTargetsSchema>;

export const historySchema = z.strictObject({
  limit: z.union([z.number(), z.string()]).optional(),
  cursor: z.string().min(1).optional(),
});
export type HistoryInput = z.input<typeof historySchema>;
