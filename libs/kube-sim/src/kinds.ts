/** Every kind the simulator serves, and how URLs and objects name them. */
import { namespaceKind, networkPolicyKind, type ResourceKind } from './resources.js';
import { daemonSetKind, endpointsKind, podKind, serviceKind } from './workloads.js';

export const KINDS = {
  namespace: namespaceKind,
  networkPolicy: networkPolicyKind,
  pod: podKind,
  service: serviceKind,
  endpoints: endpointsKind,
  daemonSet: daemonSetKind,
} as const;

export const ALL_KINDS: readonly ResourceKind[] = Object.values(KINDS);

/** The kind with this apiVersion and kind, or undefined. */
export function kindOf(apiVersion: unknown, kind: unknown): ResourceKind | undefined {
  return ALL_KINDS.find((k) => k.apiVersion === apiVersion && k.kind === kind);
}

/** The kind served at `<group>/<version>/<resource>` (core group: ""), or undefined. */
export function kindForResource(group: string, version: string, resource: string): ResourceKind | undefined {
  const apiVersion = group ? `${group}/${version}` : version;
  return ALL_KINDS.find((k) => k.apiVersion === apiVersion && k.ref.resource === resource);
}
