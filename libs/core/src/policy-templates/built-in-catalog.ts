/**
 * What ships with fleetgate, as data: the built-in gates, templates (from libs/netpol's packs)
 * and their default bindings. Pure: the installer service writes it.
 */
import { type JsonValue, type PolicyPack, type TemplateParameter, builtInPacks } from '@fleetgate/netpol';
import type { BindingPlacement } from '../desired-state/desired-state.builder.js';

export interface BuiltInGate {
  key: string;
  description: string;
  defaultValue: boolean;
}

const GATE_DESCRIPTIONS: Record<string, string> = {
  apiserverNetworkPolicy:
    "KKP: restricts the egress of each user cluster's kube-apiserver (in cluster-<id> on its seed) to etcd, dns-resolver, openvpn-server, machine-controller-webhook and metrics-server. Turning it off removes the policies.",
  gardenerGeneralPolicies:
    "Gardener: the general NetworkPolicies (deny-all, allow-to-dns, allow-to-runtime-apiserver, allow-to-blocked-cidrs, allow-to-public-networks, allow-to-private-networks) in a seed's garden, istio and shoot namespaces.",
  shootSystemPolicies: "Gardener: the gardener.cloud--allow-* NetworkPolicies in a shoot's kube-system namespace.",
  gardenerServicePolicies:
    "Gardener: the policies gardener-resource-manager's NetworkPolicy controller derives from a cluster's Services and namespaces (its inventory), kept in place like any other desired state.",
};

/** The built-in source of derived (not templated) policies: its template renders nothing, the builder fills it from the inventory. */
export const DERIVED_SOURCE = 'gardener-service-policies';

/** The built-in gates: the three named by the product plus every gate a pack declares. Off by default. */
export function builtInGates(): BuiltInGate[] {
  const keys = new Set(Object.keys(GATE_DESCRIPTIONS));
  for (const pack of Object.values(builtInPacks)) if (pack.gate) keys.add(pack.gate);
  return [...keys].sort().map((key) => ({
    key,
    description: GATE_DESCRIPTIONS[key] ?? `Governs the built-in policy pack(s) ${Object.values(builtInPacks).filter((p) => p.gate === key).map((p) => p.name).join(', ')}.`,
    defaultValue: false,
  }));
}

export interface BuiltInTemplate {
  name: string;
  description: string;
  pack: string;
  body: JsonValue;
  parameters: TemplateParameter[];
  /** null for packs of alternatives (no default binding: the admin picks one) */
  defaultBinding: {
    name: string;
    clusterRole: 'seed' | 'user' | null;
    placement: BindingPlacement;
    gate: string | null;
  } | null;
}

/** A pack's templates as one template body: a json-e list rendering every policy of the pack. */
export function packTemplateBody(pack: PolicyPack): JsonValue {
  return pack.templates.map((t) => t.policy);
}

function placementOf(pack: PolicyPack): BindingPlacement {
  const p = pack.placement;
  if (p.kind === 'controlPlaneNamespace') return { kind: 'controlPlaneNamespace' };
  return { kind: 'namespaces', names: [...(p.names ?? [])], globs: [...(p.globs ?? [])], selectors: [...(p.selectors ?? [])] };
}

/**
 * A gated pack becomes one template (its policies belong together) with a default binding under
 * the gate. A pack without a gate is a set of alternatives (the Kubernetes defaults): each of its
 * templates becomes a template of its own, named `<pack>-<template>`, with no default binding.
 */
export function builtInTemplates(): BuiltInTemplate[] {
  const out: BuiltInTemplate[] = [];
  for (const pack of Object.values(builtInPacks)) {
    if (pack.gate) {
      out.push({
        name: pack.name,
        description: pack.description,
        pack: pack.name,
        body: packTemplateBody(pack),
        parameters: pack.parameters,
        defaultBinding: {
          name: pack.name,
          clusterRole: pack.targetRole === 'any' ? null : pack.targetRole,
          placement: placementOf(pack),
          gate: pack.gate,
        },
      });
      continue;
    }
    for (const t of pack.templates) {
      out.push({
        name: `${pack.name}-${t.name.slice(t.name.indexOf('/') + 1)}`,
        description: t.description,
        pack: pack.name,
        body: t.policy,
        parameters: [...pack.parameters, ...(t.parameters ?? [])],
        defaultBinding: null,
      });
    }
  }
  out.push({
    name: DERIVED_SOURCE,
    description: "Gardener's service-driven NetworkPolicies, derived per cluster from its inventory (Services, their annotations, namespace labels).",
    pack: DERIVED_SOURCE,
    body: [],
    parameters: [],
    defaultBinding: { name: DERIVED_SOURCE, clusterRole: null, placement: { kind: 'namespaces', names: [], globs: [], selectors: [] }, gate: 'gardenerServicePolicies' },
  });
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}
