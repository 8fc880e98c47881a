import type { InventoryView } from '@fleetgate/core';
import { z } from 'zod';

export interface InventoryDto {
  cluster: string;
  observedAt: string;
  snapshotObservedAt: string | null;
  status: string;
  error: string | null;
  truncated: string[];
  counts: { namespaces: number; pods: number; services: number };
  serverVersion: string | null;
  networkPolicyEnforcement: { status: string; cni: string | null; cniVersion: string | null; reason: string | null };
  serviceErrors: Array<{ service: string; annotation: string; message: string }>;
  namespaces: InventoryView['namespaces'];
  services: InventoryView['services'];
  pods: InventoryView['pods'];
  nextCursor: string | null;
}

export function toInventoryDto(v: InventoryView): InventoryDto {
  return {
    cluster: v.cluster.name,
    observedAt: v.observedAt.toISOString(),
    snapshotObservedAt: v.snapshotObservedAt?.toISOString() ?? null,
    status: v.status,
    error: v.error,
    truncated: v.truncated,
    counts: v.counts,
    serverVersion: v.serverVersion,
    networkPolicyEnforcement: { status: v.enforcement.networkPolicyEnforcement, cni: v.enforcement.cni, cniVersion: v.enforcement.cniVersion, reason: v.enforcement.reason },
    serviceErrors: v.serviceErrors,
    namespaces: v.namespaces,
    services: v.services,
    pods: v.pods,
    nextCursor: v.nextCursor,
  };
}

const labels = z.record(z.string(), z.string());
/** For OpenAPI only. */
export const inventoryDtoSchema = z.object({
  cluster: z.string(),
  observedAt: z.string(),
  snapshotObservedAt: z.string().nullable(),
  status: z.enum(['ok', 'unreachable', 'failed']),
  error: z.string().nullable(),
  truncated: z.array(z.enum(['namespaces', 'pods', 'services', 'daemonSets'])),
  counts: z.object({ namespaces: z.number().int(), pods: z.number().int(), services: z.number().int() }),
  serverVersion: z.string().nullable(),
  networkPolicyEnforcement: z.object({ status: z.enum(['enforced', 'not_enforced', 'unknown']), cni: z.string().nullable(), cniVersion: z.string().nullable(), reason: z.string().nullable() }),
  serviceErrors: z.array(z.object({ service: z.string(), annotation: z.string(), message: z.string() })),
  namespaces: z.array(z.object({ name: z.string(), labels, terminating: z.boolean().optional() })),
  services: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      selector: labels.nullable(),
      ports: z.array(z.object({ name: z.string().optional(), port: z.number().int(), targetPort: z.union([z.number().int(), z.string()]), protocol: z.string() })),
      annotations: labels,
    }),
  ),
  pods: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      labels,
      ip: z.string().nullable(),
      phase: z.string().nullable(),
      ports: z.array(z.object({ name: z.string().optional(), containerPort: z.number().int(), protocol: z.string() })),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export const inventoryScanAcceptedDtoSchema = z.object({ cluster: z.string(), requestedAt: z.string() });
