import type { ClusterInventorySnapshot, InventoryDaemonSet, InventoryKind, InventoryNamespace, InventoryPod, InventoryService } from '@fleetgate/kube';
import type { NetworkPolicyEnforcement, ServiceAnnotationError } from '@fleetgate/netpol';

export type { InventoryDaemonSet, InventoryKind, InventoryNamespace, InventoryPod, InventoryService, NetworkPolicyEnforcement, ServiceAnnotationError };

export type InventoryScanStatus = 'ok' | 'unreachable' | 'failed';

/** What the enforcement check says about a cluster. */
export interface EnforcementView {
  networkPolicyEnforcement: NetworkPolicyEnforcement;
  cni: string | null;
  cniVersion: string | null;
  reason: string | null;
}

/** A cluster's stored inventory (the compact snapshot plus what is derived from it). */
export interface ClusterInventory {
  clusterId: string;
  observedAt: Date;
  /** when the snapshot itself was read (a failed scan keeps the previous one) */
  snapshotObservedAt: Date | null;
  status: InventoryScanStatus;
  error: string | null;
  truncated: InventoryKind[];
  counts: { namespaces: number; pods: number; services: number };
  serverVersion: string | null;
  enforcement: EnforcementView;
  serviceErrors: ServiceAnnotationError[];
  derivedHash: string | null;
  snapshot: Pick<ClusterInventorySnapshot, 'namespaces' | 'pods' | 'services' | 'daemonSets'>;
}
