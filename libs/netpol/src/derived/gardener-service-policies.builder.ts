/**
 * Gardener's service-driven NetworkPolicies, derived from a cluster's inventory: what
 * gardener-resource-manager's NetworkPolicy controller (pkg/resourcemanager/controller/networkpolicy)
 * creates for every Service in a handled namespace, as a pure `(facts) => NetworkPolicy[]` builder.
 *
 * Per Service with a selector, for the Service's namespace and every namespace selected by
 * `networking.resources.gardener.cloud/namespace-selectors`:
 * - every Service port (protocol, targetPort) gets `ingress-to-<svc>-<proto>-<port>[-from-<ns>]`
 *   (in the Service's namespace, admitting pods labelled
 *   `networking.resources.gardener.cloud/to-[<alias|svc-ns>-]<svc>-<proto>-<port>=allowed`) and
 *   `egress-to-[<svc-ns>-]<svc>-<proto>-<port>` (in the client namespace, for the same pods);
 * - every annotation `networking.resources.gardener.cloud/from-<selector>-allowed-ports` (e.g.
 *   `from-all-scrape-targets-allowed-ports`, `from-all-webhook-targets-allowed-ports`) gets the
 *   same pair for each listed port, with policy id `<svc>-<proto>-<port>-via-<selector>` and the
 *   pod label `to-[<alias|svc-ns>-]<selector>=allowed`;
 * - `networking.resources.gardener.cloud/from-world-to-ports` gets `ingress-to-<svc>-from-world`.
 * Label keys longer than 63 characters are shortened as Gardener does (57 characters, `-`, the
 * first 5 hex digits of the SHA-256 of the full name). A malformed annotation is reported for its
 * Service with the exact reason, and that Service derives nothing.
 *
 * In shoots the controller does not run; there, for every custom namespace serving a webhook
 * (a Service annotated `from-all-webhook-targets-allowed-ports`), the builder derives the reduced
 * `allow-from-seed` policy the Gardener document recommends as the template for such namespaces.
 */
import { createHash } from 'node:crypto';
import { selectorFromLabelSelector, validateLabelSelector, type LabelSelector } from '../labels/label-selector.js';
import { matches } from '../labels/requirement.js';
import { isQualifiedName, isValidPortName, isValidPortNum } from '../validation/names.js';
import { matchesGlob } from '../packs/placement.js';
import type { NetworkPolicy, NetworkPolicyPort, Protocol } from '../types/network-policy.js';
import { PROTOCOLS } from '../types/network-policy.js';

export const NETWORKING_PREFIX = 'networking.resources.gardener.cloud/';
export const NAMESPACE_SELECTORS_ANNOTATION = `${NETWORKING_PREFIX}namespace-selectors`;
export const NAMESPACE_ALIAS_ANNOTATION = `${NETWORKING_PREFIX}pod-label-selector-namespace-alias`;
export const FROM_WORLD_ANNOTATION = `${NETWORKING_PREFIX}from-world-to-ports`;
export const SERVICE_NAME_LABEL = `${NETWORKING_PREFIX}service-name`;
export const SERVICE_NAMESPACE_LABEL = `${NETWORKING_PREFIX}service-namespace`;
export const WEBHOOK_TARGETS_ANNOTATION = `${NETWORKING_PREFIX}from-all-webhook-targets-allowed-ports`;
export const ACCESS_TARGET_APISERVER_LABEL = 'networking.gardener.cloud/access-target-apiserver';
export const GARDENER_DESCRIPTION_ANNOTATION = 'gardener.cloud/description';
const ALLOWED = 'allowed';
const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';
const FROM_POLICY = /^networking\.resources\.gardener\.cloud\/from-(.+)-allowed-ports$/;
/** The longest name part of a label key. */
const LABEL_NAME_MAX = 63;

export interface InventoryNamespaceFacts {
  name: string;
  labels: Readonly<Record<string, string>>;
  /** A namespace being deleted is not a target (the controller skips those with a deletionTimestamp). */
  terminating?: boolean;
}

export interface InventoryServicePortFacts {
  name?: string;
  port: number;
  /** Defaults to `port`, as the API server defaults it. */
  targetPort?: number | string;
  /** Defaults to TCP. */
  protocol?: string;
}

export interface InventoryServiceFacts {
  namespace: string;
  name: string;
  /** null: a Service without a selector (no policies, as in Gardener). */
  selector: Readonly<Record<string, string>> | null;
  ports: readonly InventoryServicePortFacts[];
  annotations: Readonly<Record<string, string>>;
}

/** Which namespaces the controller handles (gardenlet's / gardener-operator's configuration). */
export interface HandledNamespaces {
  names: readonly string[];
  globs: readonly string[];
  selectors: readonly LabelSelector[];
}

/** The namespaces gardenlet and gardener-operator let the controller handle, plus `extension-*`. */
export const DEFAULT_HANDLED_NAMESPACES: HandledNamespaces = {
  names: ['garden', 'istio-system'],
  globs: ['istio-ingress*', '*istio-ingress-*', '*-istio-ingress', 'shoot-*', 'extension-*'],
  selectors: [{ matchLabels: { [ACCESS_TARGET_APISERVER_LABEL]: ALLOWED } }],
};

export interface ServicePolicyFacts {
  /** `seed` and `garden` run the controller; in a `shoot` only the allow-from-seed template applies. */
  clusterKind: 'seed' | 'garden' | 'shoot';
  namespaces: readonly InventoryNamespaceFacts[];
  services: readonly InventoryServiceFacts[];
  handledNamespaces?: HandledNamespaces;
}

export interface DerivedPolicySource {
  /** `namespace/name` of the Service, or null when the policy comes from a namespace alone. */
  service: string | null;
  namespace: string;
  /** What made it: a Service port, an annotation key, or the shoot webhook template. */
  reason: string;
}

export interface DerivedPolicy {
  policy: NetworkPolicy;
  source: DerivedPolicySource;
}

export interface ServiceAnnotationError {
  service: string;
  annotation: string;
  message: string;
}

export interface ServicePolicyResult {
  policies: DerivedPolicy[];
  errors: ServiceAnnotationError[];
}

/** Gardener's label-key shortening: a name part over 63 characters becomes 57 + `-` + 5 hex digits. */
export function shortenLabelName(name: string): string {
  if (name.length <= LABEL_NAME_MAX) return name;
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 5);
  return `${name.slice(0, LABEL_NAME_MAX - 6)}-${digest}`;
}

/** The pod label key admitting traffic: `networking.resources.gardener.cloud/to-<infix><selector>`. */
export function toLabelKey(podLabelSelector: string, infix: string): string {
  return NETWORKING_PREFIX + shortenLabelName(`to-${infix}${podLabelSelector}`);
}

class AnnotationError extends Error {
  constructor(
    readonly annotation: string,
    message: string,
  ) {
    super(message);
  }
}

interface PolicyPort {
  protocol: Protocol;
  port: number | string;
  endPort?: number;
}

function parseProtocol(value: unknown, annotation: string, path: string): Protocol {
  if (value === undefined || value === null) return 'TCP';
  if (typeof value !== 'string' || !(PROTOCOLS as readonly string[]).includes(value)) {
    throw new AnnotationError(annotation, `${path}.protocol: Unsupported value: ${JSON.stringify(value)}: supported values: "TCP", "UDP", "SCTP"`);
  }
  return value as Protocol;
}

function parsePortValue(value: unknown, annotation: string, path: string): number | string {
  if (value === undefined || value === null) throw new AnnotationError(annotation, `${path}.port: Required value`);
  if (typeof value === 'number') {
    const errs = isValidPortNum(value);
    if (errs.length) throw new AnnotationError(annotation, `${path}.port: Invalid value: ${value}: ${errs.join(', ')}`);
    return value;
  }
  if (typeof value === 'string') {
    const errs = isValidPortName(value);
    if (errs.length) throw new AnnotationError(annotation, `${path}.port: Invalid value: ${JSON.stringify(value)}: ${errs.join(', ')}`);
    return value;
  }
  throw new AnnotationError(annotation, `${path}.port: Invalid value: ${JSON.stringify(value)}: must be a port number or name`);
}

function parseJson(annotation: string, raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch (e) {
    throw new AnnotationError(annotation, `invalid JSON: ${(e as Error).message}`);
  }
}

/** `[{"port":8080,"protocol":"TCP"}, …]`, as Gardener unmarshals it into []NetworkPolicyPort. */
export function parseAllowedPorts(annotation: string, raw: string): PolicyPort[] {
  const value = parseJson(annotation, raw);
  if (!Array.isArray(value)) throw new AnnotationError(annotation, 'must be a JSON array of ports, e.g. [{"port":8080,"protocol":"TCP"}]');
  return value.map((item: unknown, i) => {
    const path = `[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new AnnotationError(annotation, `${path}: must be an object with "port" and "protocol"`);
    const o = item as Record<string, unknown>;
    const port: PolicyPort = { protocol: parseProtocol(o.protocol, annotation, path), port: parsePortValue(o.port, annotation, path) };
    if (o.endPort !== undefined) {
      if (typeof o.endPort !== 'number' || isValidPortNum(o.endPort).length || typeof port.port !== 'number' || o.endPort < port.port) {
        throw new AnnotationError(annotation, `${path}.endPort: Invalid value: ${JSON.stringify(o.endPort)}: must be a port number not below port`);
      }
      port.endPort = o.endPort;
    }
    return port;
  });
}

function parseNamespaceSelectors(raw: string): LabelSelector[] {
  const annotation = NAMESPACE_SELECTORS_ANNOTATION;
  const value = parseJson(annotation, raw);
  if (!Array.isArray(value)) throw new AnnotationError(annotation, 'must be a JSON array of label selectors, e.g. [{"matchLabels":{"kubernetes.io/metadata.name":"garden"}}]');
  return value.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new AnnotationError(annotation, `[${i}]: must be a label selector object`);
    const sel = item as LabelSelector;
    const errors = validateLabelSelector(sel, `[${i}]`);
    if (errors.length) throw new AnnotationError(annotation, errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    try {
      selectorFromLabelSelector(sel);
    } catch (e) {
      throw new AnnotationError(annotation, `[${i}]: ${(e as Error).message}`);
    }
    return sel;
  });
}

function validateLabelKey(annotation: string, key: string): void {
  const errs = isQualifiedName(key);
  if (errs.length) throw new AnnotationError(annotation, `derived pod label key ${JSON.stringify(key)} is invalid: ${errs.join(', ')}`);
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function namespaceLabels(ns: InventoryNamespaceFacts): Record<string, string> {
  return { ...ns.labels, [METADATA_NAME_LABEL]: ns.name };
}

function isHandled(handled: HandledNamespaces, ns: InventoryNamespaceFacts | undefined, name: string): boolean {
  if (handled.names.includes(name)) return true;
  if (handled.globs.some((g) => matchesGlob(g, name))) return true;
  if (!ns) return false;
  const labels = namespaceLabels(ns);
  return handled.selectors.some((sel) => matches(selectorFromLabelSelector(sel), labels));
}

interface Derivation {
  service: InventoryServiceFacts;
  out: DerivedPolicy[];
}

function portLabel(port: number | string): string {
  return String(port);
}

function policyIdFor(service: string, port: PolicyPort): string {
  return `${service}-${port.protocol.toLowerCase()}-${portLabel(port.port)}`;
}

function npPort(port: PolicyPort): NetworkPolicyPort {
  const p: NetworkPolicyPort = { protocol: port.protocol, port: port.port };
  if (port.endPort !== undefined) p.endPort = port.endPort;
  return p;
}

function selectorText(sel: Record<string, string>): string {
  return `&LabelSelector{MatchLabels:map[string]string{${Object.keys(sel)
    .sort()
    .map((k) => `${k}: ${sel[k]},`)
    .join('')}},MatchExpressions:[]LabelSelectorRequirement{},}`;
}

function addPair(d: Derivation, port: PolicyPort, policyId: string, clientNs: string, podMatch: Record<string, string>, reason: string): void {
  const svc = d.service;
  const selector = { ...(svc.selector ?? {}) };
  const crossNs = clientNs !== svc.namespace;
  const owner = { [SERVICE_NAME_LABEL]: svc.name, [SERVICE_NAMESPACE_LABEL]: svc.namespace };
  const source: DerivedPolicySource = { service: `${svc.namespace}/${svc.name}`, namespace: clientNs, reason };
  const ingressName = `ingress-to-${policyId}${crossNs ? `-from-${clientNs}` : ''}`;
  d.out.push({
    source,
    policy: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: ingressName,
        namespace: svc.namespace,
        labels: owner,
        annotations: {
          [GARDENER_DESCRIPTION_ANNOTATION]: `Allows ingress ${port.protocol} traffic to port ${portLabel(port.port)} for pods selected by the ${svc.namespace}/${svc.name} service selector from pods running in namespace ${clientNs} labeled with ${selectorText(podMatch)}.`,
        },
      },
      spec: {
        podSelector: { matchLabels: selector },
        ingress: [{ from: [{ podSelector: { matchLabels: podMatch }, ...(crossNs ? { namespaceSelector: { matchLabels: { [METADATA_NAME_LABEL]: clientNs } } } : {}) }], ports: [npPort(port)] }],
        policyTypes: ['Ingress'],
      },
    },
  });
  const egressName = crossNs ? `egress-to-${svc.namespace}-${policyId}` : `egress-to-${policyId}`;
  d.out.push({
    source,
    policy: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: egressName,
        namespace: clientNs,
        labels: owner,
        annotations: {
          [GARDENER_DESCRIPTION_ANNOTATION]: `Allows egress ${port.protocol} traffic to port ${portLabel(port.port)} from pods running in namespace ${clientNs} labeled with ${selectorText(podMatch)} to pods selected by the ${svc.namespace}/${svc.name} service selector.`,
        },
      },
      spec: {
        podSelector: { matchLabels: podMatch },
        egress: [{ to: [{ podSelector: { matchLabels: selector }, ...(crossNs ? { namespaceSelector: { matchLabels: { [METADATA_NAME_LABEL]: svc.namespace } } } : {}) }], ports: [npPort(port)] }],
        policyTypes: ['Egress'],
      },
    },
  });
}

function deriveForService(service: InventoryServiceFacts, namespaces: readonly InventoryNamespaceFacts[]): DerivedPolicy[] {
  const d: Derivation = { service, out: [] };
  const annotations = service.annotations;
  // Parse everything first: a malformed annotation derives nothing for the Service.
  const selectorsRaw = annotations[NAMESPACE_SELECTORS_ANNOTATION];
  const selectors = selectorsRaw === undefined ? [] : parseNamespaceSelectors(selectorsRaw);
  const alias = annotations[NAMESPACE_ALIAS_ANNOTATION];
  const fromPolicies = Object.keys(annotations)
    .sort()
    .flatMap((key) => {
      const m = FROM_POLICY.exec(key);
      return m ? [{ key, selector: m[1]!, ports: parseAllowedPorts(key, annotations[key]!) }] : [];
    });
  const fromWorld = annotations[FROM_WORLD_ANNOTATION] === undefined ? null : parseAllowedPorts(FROM_WORLD_ANNOTATION, annotations[FROM_WORLD_ANNOTATION]);
  const servicePorts: PolicyPort[] = service.ports.map((p, i) => {
    const protocol = parseProtocol(p.protocol, 'spec.ports', `[${i}]`);
    return { protocol, port: p.targetPort ?? p.port };
  });

  const clientNamespaces = new Set([service.namespace]);
  for (const sel of selectors) {
    const reqs = selectorFromLabelSelector(sel);
    for (const ns of namespaces) if (!ns.terminating && matches(reqs, namespaceLabels(ns))) clientNamespaces.add(ns.name);
  }
  const ordered = [...clientNamespaces].sort();
  const infixFor = (ns: string) => (ns === service.namespace ? '' : `${alias ?? service.namespace}-`);

  const addForPort = (port: PolicyPort, custom: string | null, reason: string) => {
    const baseId = policyIdFor(service.name, port);
    const policyId = custom === null ? baseId : `${baseId}-via-${custom}`;
    const podLabelSelector = custom ?? baseId;
    for (const ns of ordered) {
      const key = toLabelKey(podLabelSelector, infixFor(ns));
      validateLabelKey(reason, key);
      addPair(d, port, policyId, ns, { [key]: ALLOWED }, reason);
    }
  };
  servicePorts.forEach((port, i) => addForPort(port, null, `spec.ports[${i}]`));
  for (const fp of fromPolicies) for (const port of fp.ports) addForPort(port, fp.selector, fp.key);
  if (fromWorld) {
    d.out.push({
      source: { service: `${service.namespace}/${service.name}`, namespace: service.namespace, reason: FROM_WORLD_ANNOTATION },
      policy: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: {
          name: `ingress-to-${service.name}-from-world`,
          namespace: service.namespace,
          labels: { [SERVICE_NAME_LABEL]: service.name, [SERVICE_NAMESPACE_LABEL]: service.namespace },
          annotations: {
            [GARDENER_DESCRIPTION_ANNOTATION]: `Allows ingress traffic from everywhere to ports [${fromWorld.map((p) => `${p.protocol}/${portLabel(p.port)}`).join(' ')}] for pods selected by the ${service.namespace}/${service.name} service selector.`,
          },
        },
        spec: { podSelector: { matchLabels: { ...(service.selector ?? {}) } }, ingress: [{ ports: fromWorld.map(npPort) }], policyTypes: ['Ingress'] },
      },
    });
  }
  return d.out;
}

/** The reduced `allow-from-seed` the Gardener document recommends for custom shoot namespaces serving webhooks. */
export function allowFromSeedPolicy(namespace: string): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: 'allow-from-seed',
      namespace,
      annotations: {
        [GARDENER_DESCRIPTION_ANNOTATION]: `Allows ingress from the VPN endpoint (app=vpn-shoot in kube-system) to the pods of namespace ${namespace}, so the seed's kube-apiserver reaches its webhook servers.`,
      },
    },
    spec: {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'gardener.cloud/purpose': 'kube-system' } }, podSelector: { matchLabels: { app: 'vpn-shoot' } } }] }],
      policyTypes: ['Ingress'],
    },
  };
}

function keyOf(p: NetworkPolicy): string {
  return `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;
}

/**
 * Every service-driven policy of one cluster, sorted by namespace/name, and the Services whose
 * annotations could not be read (those derive nothing). Two Services deriving the same
 * namespace/name keep the first (Services in namespace/name order), as the last write would win
 * in Gardener with the same content.
 */
export function buildGardenerServicePolicies(facts: ServicePolicyFacts): ServicePolicyResult {
  const handled = facts.handledNamespaces ?? DEFAULT_HANDLED_NAMESPACES;
  const nsByName = new Map(facts.namespaces.map((n) => [n.name, n]));
  const services = [...facts.services].sort((a, b) => (a.namespace === b.namespace ? byName(a, b) : a.namespace < b.namespace ? -1 : 1));
  const errors: ServiceAnnotationError[] = [];
  const out = new Map<string, DerivedPolicy>();
  const add = (dp: DerivedPolicy) => {
    if (!out.has(keyOf(dp.policy))) out.set(keyOf(dp.policy), dp);
  };

  if (facts.clusterKind === 'shoot') {
    const webhookNamespaces = new Set<string>();
    for (const svc of services) {
      if (svc.namespace === 'kube-system' || svc.annotations[WEBHOOK_TARGETS_ANNOTATION] === undefined) continue;
      try {
        parseAllowedPorts(WEBHOOK_TARGETS_ANNOTATION, svc.annotations[WEBHOOK_TARGETS_ANNOTATION]);
        webhookNamespaces.add(svc.namespace);
      } catch (e) {
        if (!(e instanceof AnnotationError)) throw e;
        errors.push({ service: `${svc.namespace}/${svc.name}`, annotation: e.annotation, message: e.message });
      }
    }
    for (const ns of [...webhookNamespaces].sort()) {
      add({ policy: allowFromSeedPolicy(ns), source: { service: null, namespace: ns, reason: 'shoot webhook namespace (gardener.cloud--allow-from-seed template)' } });
    }
  } else {
    for (const svc of services) {
      if (svc.selector === null || Object.keys(svc.selector).length === 0) continue;
      if (!isHandled(handled, nsByName.get(svc.namespace), svc.namespace)) continue;
      try {
        for (const dp of deriveForService(svc, facts.namespaces)) add(dp);
      } catch (e) {
        if (!(e instanceof AnnotationError)) throw e;
        errors.push({ service: `${svc.namespace}/${svc.name}`, annotation: e.annotation, message: e.message });
      }
    }
  }
  const policies = [...out.values()].sort((a, b) => (keyOf(a.policy) < keyOf(b.policy) ? -1 : 1));
  return { policies, errors };
}
