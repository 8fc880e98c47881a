import type { Cluster, WatchStatus } from '@fleetgate/core';
import { z } from 'zod';

/** The REST shape of a cluster (issue 2). Credentials never appear: only server and fingerprint. */
export interface ClusterDto {
  id: string;
  name: string;
  role: 'seed' | 'user';
  seed: string | null;
  server: string;
  credentialFingerprint: string;
  insecureSkipTLSVerify: boolean;
  labels: Record<string, string>;
  networks: { pods: string | null; services: string | null; nodes: string | null };
  blockedCIDRs: string[];
  controlPlaneNamespace: string | null;
  health: { status: string; kubernetesVersion: string | null; latencyMs: number | null; lastCheckedAt: string | null; lastError: string | null };
  /** the drift watch on its API server: `off` when no live worker holds it */
  watch: WatchStatus;
  createdAt: string;
  updatedAt: string;
}

export interface ClusterPageDto {
  items: ClusterDto[];
  nextCursor: string | null;
}

export function toClusterDto(c: Cluster, watch: WatchStatus): ClusterDto {
  return {
    id: c.id,
    name: c.name,
    role: c.role,
    seed: c.seed,
    server: c.server,
    credentialFingerprint: c.credentialFingerprint,
    insecureSkipTLSVerify: c.insecureSkipTLSVerify,
    labels: c.labels,
    networks: c.networks,
    blockedCIDRs: c.blockedCIDRs,
    controlPlaneNamespace: c.controlPlaneNamespace,
    health: {
      status: c.health.status,
      kubernetesVersion: c.health.kubernetesVersion,
      latencyMs: c.health.latencyMs,
      lastCheckedAt: c.health.lastCheckedAt?.toISOString() ?? null,
      lastError: c.health.lastError,
    },
    watch,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const nullableString = z.string().nullable();
/** For OpenAPI only. */
export const clusterDtoSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(['seed', 'user']),
  seed: nullableString,
  server: z.string(),
  credentialFingerprint: z.string(),
  insecureSkipTLSVerify: z.boolean(),
  labels: z.record(z.string(), z.string()),
  networks: z.object({ pods: nullableString, services: nullableString, nodes: nullableString }),
  blockedCIDRs: z.array(z.string()),
  controlPlaneNamespace: nullableString,
  health: z.object({
    status: z.enum(['unknown', 'healthy', 'unreachable', 'timeout', 'unauthorized', 'forbidden', 'tls_error', 'error']),
    kubernetesVersion: nullableString,
    latencyMs: z.number().int().nullable(),
    lastCheckedAt: nullableString,
    lastError: nullableString,
  }),
  watch: z.enum(['connected', 'reconnecting', 'off']).describe('the drift watch on its API server: `off` when no live worker holds it'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const clusterPageDtoSchema = z.object({ items: z.array(clusterDtoSchema), nextCursor: nullableString });
