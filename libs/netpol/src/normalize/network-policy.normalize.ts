/**
 * A canonical form of a NetworkPolicy and its stable hash: what we send and what an API server
 * gives back normalise to the same JSON. Defaulted; server-owned metadata removed; empty
 * optional lists and maps dropped the way Go's `omitempty` drops them on the way back; keys in
 * sorted order. List order is kept: it is part of the object.
 *
 * The hash is SHA-256 (node:crypto's createHash, which is pure computation, no I/O) over the
 * canonical JSON, as lowercase hex.
 */
import { createHash } from 'node:crypto';
import { applyDefaults } from '../defaults/network-policy.defaults.js';
import type { LabelSelector, LabelSelectorRequirement } from '../labels/label-selector.js';
import {
  NETWORK_POLICY_API_VERSION,
  NETWORK_POLICY_KIND,
  type IPBlock,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type ObjectMeta,
} from '../types/network-policy.js';

/** Annotations written by clients or the server, not by whoever owns the policy. */
export const IGNORED_ANNOTATIONS: readonly string[] = ['kubectl.kubernetes.io/last-applied-configuration'];

function sortedMap(map: Record<string, string> | undefined, ignore: readonly string[] = []): Record<string, string> | undefined {
  if (!map) return undefined;
  const keys = Object.keys(map).filter((k) => !ignore.includes(k)).sort();
  if (keys.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const key of keys) out[key] = map[key] ?? '';
  return out;
}

function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

function normalizeSelector(sel: LabelSelector | undefined): LabelSelector {
  const expressions = nonEmpty(
    sel?.matchExpressions?.map((e: LabelSelectorRequirement) =>
      compact({ key: e.key, operator: e.operator, values: nonEmpty(e.values ? [...e.values] : undefined) }),
    ),
  );
  return compact({ matchLabels: sortedMap(sel?.matchLabels), matchExpressions: expressions });
}

function normalizeIPBlock(block: IPBlock): IPBlock {
  return compact({ cidr: block.cidr, except: nonEmpty(block.except ? [...block.except] : undefined) });
}

function normalizePeer(peer: NetworkPolicyPeer): NetworkPolicyPeer {
  return compact({
    ipBlock: peer.ipBlock ? normalizeIPBlock(peer.ipBlock) : undefined,
    namespaceSelector: peer.namespaceSelector ? normalizeSelector(peer.namespaceSelector) : undefined,
    podSelector: peer.podSelector ? normalizeSelector(peer.podSelector) : undefined,
  });
}

function normalizePort(port: NetworkPolicyPort): NetworkPolicyPort {
  return compact({ endPort: port.endPort ?? undefined, port: port.port ?? undefined, protocol: port.protocol });
}

function normalizeMetadata(meta: ObjectMeta | undefined): ObjectMeta {
  return compact({
    annotations: sortedMap(meta?.annotations, IGNORED_ANNOTATIONS),
    labels: sortedMap(meta?.labels),
    name: meta?.name || undefined,
    namespace: meta?.namespace || undefined,
  });
}

/** The canonical form (see the module comment). The input is not modified. */
export function normalize(policy: NetworkPolicy): NetworkPolicy {
  const defaulted = applyDefaults(policy);
  const spec = defaulted.spec;
  return compact({
    apiVersion: NETWORK_POLICY_API_VERSION,
    kind: NETWORK_POLICY_KIND,
    metadata: normalizeMetadata(defaulted.metadata),
    spec: compact({
      egress: nonEmpty(
        spec.egress?.map((rule) =>
          compact({ ports: nonEmpty(rule.ports?.map(normalizePort)), to: nonEmpty(rule.to?.map(normalizePeer)) }),
        ),
      ),
      ingress: nonEmpty(
        spec.ingress?.map((rule) =>
          compact({ from: nonEmpty(rule.from?.map(normalizePeer)), ports: nonEmpty(rule.ports?.map(normalizePort)) }),
        ),
      ),
      podSelector: normalizeSelector(spec.podSelector),
      policyTypes: [...(spec.policyTypes ?? [])],
    }),
  });
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Hashes by the policy's plain JSON (key order included), oldest forgotten first. */
const hashes = new Map<string, string>();
const HASHES_KEPT = 5000;

/**
 * SHA-256 (hex) of the canonical JSON of the normalised policy. Remembers the last few thousand
 * answers by the policy's JSON text: a fleet renders the same policies for many clusters, and
 * `JSON.stringify` costs a tenth of defaulting, normalising and hashing.
 */
export function hash(policy: NetworkPolicy): string {
  const key = JSON.stringify(policy);
  let h = hashes.get(key);
  if (h === undefined) {
    h = createHash('sha256').update(canonicalJson(normalize(policy))).digest('hex');
    if (hashes.size >= HASHES_KEPT) hashes.delete(hashes.keys().next().value as string);
    hashes.set(key, h);
  }
  return h;
}
