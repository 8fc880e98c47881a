import type { Cluster } from '@fleetgate/core';
import { type ClusterModel, type ClusterRoleEnum, type HealthStatusEnum, type NetworkPolicyEnforcementEnum } from './cluster.model.js';

export function toClusterModel(c: Cluster): ClusterModel {
  return {
    id: c.id,
    name: c.name,
    role: c.role as ClusterRoleEnum,
    seedId: c.seedId,
    server: c.server,
    credentialFingerprint: c.credentialFingerprint,
    insecureSkipTLSVerify: c.insecureSkipTLSVerify,
    labels: Object.entries(c.labels)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ key, value })),
    networks: c.networks,
    blockedCIDRs: c.blockedCIDRs,
    controlPlaneNamespace: c.controlPlaneNamespace,
    health: { ...c.health, status: c.health.status as HealthStatusEnum },
    networkPolicyEnforcement: { ...c.networkPolicyEnforcement, status: c.networkPolicyEnforcement.status as NetworkPolicyEnforcementEnum },
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

import { DomainError, type RegisterClusterInput as RegisterData, type UpdateClusterInput as UpdateData } from '@fleetgate/core';
import { gateValuesFromInput } from '../feature-gates/feature-gate.mapper.js';
import type { LabelInput, RegisterClusterInput, UpdateClusterInput } from './cluster.input.js';
import type { ClusterRefArgs } from './clusters.args.js';

function labelsFromInput(labels: LabelInput[] | undefined | null): Record<string, string> | undefined {
  if (!labels) return undefined;
  const out: Record<string, string> = {};
  for (const [i, l] of labels.entries()) {
    if (Object.prototype.hasOwnProperty.call(out, l.key)) {
      throw DomainError.validation('Invalid labels', [{ field: `labels.${i}.key`, message: `duplicate label key "${l.key}"` }]);
    }
    out[l.key] = l.value;
  }
  return out;
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

export function toRegisterData(input: RegisterClusterInput): RegisterData {
  return defined({
    name: input.name,
    role: input.role,
    seed: input.seed,
    controlPlaneNamespace: input.controlPlaneNamespace,
    labels: labelsFromInput(input.labels),
    credentials: defined({ ...input.credentials }),
    networks: input.networks ? defined({ ...input.networks }) : undefined,
    blockedCIDRs: input.blockedCIDRs,
    featureGates: gateValuesFromInput(input.featureGates),
  }) as RegisterData;
}

export function toUpdateData(input: UpdateClusterInput): UpdateData {
  return defined({
    labels: labelsFromInput(input.labels),
    credentials: input.credentials ? defined({ ...input.credentials }) : undefined,
    networks: input.networks ? defined({ ...input.networks }) : undefined,
    blockedCIDRs: input.blockedCIDRs,
    controlPlaneNamespace: input.controlPlaneNamespace,
  });
}

/** `cluster(id|name)`: exactly one of them. */
export function refOf(args: ClusterRefArgs): string {
  if ((args.id ? 1 : 0) + (args.name ? 1 : 0) !== 1) {
    throw DomainError.validation('Give a cluster id or name', [{ field: 'id', message: 'give exactly one of id or name' }]);
  }
  return (args.id ?? args.name)!;
}
