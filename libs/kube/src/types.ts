/** Plain JSON shapes of the objects libs/kube reads and writes (as the API server sends them). */
import type { LabelSelector, NetworkPolicy as NetpolNetworkPolicy, NetworkPolicySpec, ObjectMeta as NetpolObjectMeta } from '@fleetgate/netpol';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

/**
 * A NetworkPolicy as the server returns it: @fleetgate/netpol's type, with typed managedFields.
 * Values of netpol's `NetworkPolicy` are accepted wherever libs/kube writes one
 * (`NetworkPolicyInput`), and what libs/kube returns is assignable to netpol's type.
 */
export type NetworkPolicy = Omit<NetpolNetworkPolicy, 'metadata'> & { metadata: ObjectMeta };

/** What the write methods accept: any NetworkPolicy shape with name and namespace. */
export interface NetworkPolicyInput {
  apiVersion?: string;
  kind?: string;
  metadata: NetpolObjectMeta;
  spec?: NetworkPolicySpec;
}

export type { LabelSelector, NetworkPolicySpec };

export interface Namespace {
  apiVersion?: 'v1';
  kind?: 'Namespace';
  metadata: ObjectMeta;
  spec?: { finalizers?: string[] };
  status?: { phase?: string };
}

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit?: string;
  gitTreeState?: string;
  buildDate?: string;
  goVersion?: string;
  compiler?: string;
  platform?: string;
}
