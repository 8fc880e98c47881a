import type { ClusterDrift, DriftFindingView, DriftScan, DriftSummary } from '@fleetgate/core';
import { z } from 'zod';

export interface DriftFindingDto {
  id: string;
  kind: 'missing' | 'modified' | 'unexpected' | 'conflict';
  status: 'open' | 'contested' | 'resolved';
  /** the cluster the finding belongs to (its scan) */
  cluster: string;
  /** where the object lives: the API server's cluster (a seed for control-plane placements), namespace, name */
  target: { cluster: string; namespace: string; name: string };
  diff: Array<{ path: string; expected?: unknown; actual?: unknown }>;
  changedBy: string | null;
  binding: string | null;
  template: string | null;
  driftMode: 'enforce' | 'inform' | null;
  /** the cluster was unreachable at its last scan: this is its last known drift */
  stale: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  resolution: 'repaired' | 'changed-back' | 'assigned-state-changed' | null;
  repairRequestedAt: string | null;
  contestedAt: string | null;
  /** why the finding is contested */
  note: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toDriftFindingDto = (f: DriftFindingView): DriftFindingDto => ({
  id: f.id,
  kind: f.kind,
  status: f.status,
  cluster: f.clusterName,
  target: f.target,
  diff: f.diff,
  changedBy: f.changedBy,
  binding: f.binding,
  template: f.template,
  driftMode: f.driftMode,
  stale: f.stale,
  firstSeenAt: f.firstSeenAt.toISOString(),
  lastSeenAt: f.lastSeenAt.toISOString(),
  resolvedAt: iso(f.resolvedAt),
  resolution: f.resolution,
  repairRequestedAt: iso(f.repairRequestedAt),
  contestedAt: iso(f.contestedAt),
  note: f.status === 'contested' ? `repairs stopped: fleetgate repaired this object too often while ${f.changedBy ?? 'another manager'} kept changing it` : null,
});

export interface DriftScanDto {
  scanId: string;
  cluster: string;
  status: DriftScan['status'];
  trigger: string;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  findings: number;
  error: string | null;
}

export const toDriftScanDto = (s: DriftScan): DriftScanDto => ({
  scanId: s.id,
  cluster: s.clusterName,
  status: s.status,
  trigger: s.trigger,
  queuedAt: s.queuedAt.toISOString(),
  startedAt: iso(s.startedAt),
  finishedAt: iso(s.finishedAt),
  findings: s.findings,
  error: s.error,
});

export interface ClusterDriftDto {
  cluster: string;
  /** in-sync | drifted | unreachable | never-scanned */
  state: 'in-sync' | 'drifted' | 'unreachable' | 'never-scanned';
  lastScanAt: string | null;
  lastSuccessAt: string | null;
  /** current (open, contested) findings first, then history (resolved, newest first) */
  items: DriftFindingDto[];
}

export function clusterDriftState(state: ClusterDrift['state']): ClusterDriftDto['state'] {
  if (!state) return 'never-scanned';
  if (state.lastScanStatus !== 'succeeded') return 'unreachable';
  return state.openFindings > 0 ? 'drifted' : 'in-sync';
}

export const toClusterDriftDto = (d: ClusterDrift): ClusterDriftDto => ({
  cluster: d.cluster.name,
  state: clusterDriftState(d.state),
  lastScanAt: iso(d.state?.lastScanAt ?? null),
  lastSuccessAt: iso(d.state?.lastSuccessAt ?? null),
  items: [...d.current, ...d.history].map(toDriftFindingDto),
});

export type DriftSummaryDto = DriftSummary;

const findingSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['missing', 'modified', 'unexpected', 'conflict']),
  status: z.enum(['open', 'contested', 'resolved']),
  cluster: z.string(),
  target: z.object({ cluster: z.string(), namespace: z.string(), name: z.string() }),
  diff: z.array(z.object({ path: z.string(), expected: z.unknown().optional(), actual: z.unknown().optional() })),
  changedBy: z.string().nullable(),
  binding: z.string().nullable(),
  template: z.string().nullable(),
  driftMode: z.enum(['enforce', 'inform']).nullable(),
  stale: z.boolean(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolution: z.enum(['repaired', 'changed-back', 'assigned-state-changed']).nullable(),
  repairRequestedAt: z.string().nullable(),
  contestedAt: z.string().nullable(),
  note: z.string().nullable(),
});
export const driftPageDtoSchema = z.object({ items: z.array(findingSchema), nextCursor: z.string().nullable() });
export const clusterDriftDtoSchema = z.object({
  cluster: z.string(),
  state: z.enum(['in-sync', 'drifted', 'unreachable', 'never-scanned']),
  lastScanAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  items: z.array(findingSchema),
});
export const scanAcceptedDtoSchema = z.object({ scanId: z.uuid() });
export const scanResultDtoSchema = z.object({
  scanId: z.uuid(),
  cluster: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'unreachable', 'failed']),
  trigger: z.string(),
  queuedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  findings: z.number(),
  error: z.string().nullable(),
  items: z.array(findingSchema),
});
export const fleetScanDtoSchema = z.object({ scanIds: z.array(z.uuid()), clusters: z.number() });
export const driftSummaryDtoSchema = z.object({ inSync: z.number(), drifted: z.number(), unreachable: z.number(), neverScanned: z.number(), total: z.number() });
