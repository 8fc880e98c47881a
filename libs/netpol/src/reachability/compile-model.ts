/**
 * Compiling a model once: which pods each policy selects, and which pods each rule's peers
 * match (bitsets over pod indices). Queries, matrices and diffs all read this.
 */
import { cidrContains, parseCidr, parseIP, type Cidr, type IPAddress } from '../cidr/ip.js';
import { applyDefaults } from '../defaults/network-policy.defaults.js';
import { selectorFromLabelSelector, type LabelSelector } from '../labels/label-selector.js';
import { matches, type Requirement } from '../labels/requirement.js';
import { canonicalJson } from '../normalize/network-policy.normalize.js';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Protocol } from '../types/network-policy.js';
import { BitSet } from './bitset.js';
import { ReachabilityInputError, type ClusterModel, type PodModel } from './reachability.types.js';

export interface CompiledPort {
  protocol: Protocol;
  /** `all`: every port of the protocol; `range`: from..to; `named`: a container port name. */
  kind: 'all' | 'range' | 'named';
  from: number;
  to: number;
  name: string;
}

export interface CompiledIPBlock {
  cidr: Cidr;
  except: Cidr[];
}

export interface CompiledRule {
  policy: number;
  direction: 'ingress' | 'egress';
  index: number;
  /** No peers listed: every source/destination, pods and external addresses alike. */
  allPeers: boolean;
  /** Pods the peers match (every pod when allPeers). */
  peerPods: BitSet;
  /** The ipBlocks, for matching external addresses. */
  ipBlocks: CompiledIPBlock[];
  /** null: every port and protocol. */
  ports: CompiledPort[] | null;
}

export interface CompiledPolicy {
  ref: string;
  policy: NetworkPolicy;
  selected: BitSet;
  ingress: boolean;
  egress: boolean;
}

export interface CompiledPod extends PodModel {
  ref: string;
  index: number;
  address?: IPAddress;
  /** `${name}/${protocol}` → container port number. */
  namedPorts: Map<string, number>;
  /** Policies isolating this pod for ingress / egress. */
  ingressPolicies: number[];
  egressPolicies: number[];
  /** Rules of those policies. */
  ingressRules: CompiledRule[];
  egressRules: CompiledRule[];
}

export interface CompiledModel {
  pods: CompiledPod[];
  podIndex: Map<string, number>;
  policies: CompiledPolicy[];
  all: BitSet;
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function requirementsOf(sel: LabelSelector): Requirement[] | undefined {
  try {
    return selectorFromLabelSelector(sel);
  } catch {
    return undefined; // an invalid selector matches nothing (the API server would have refused it)
  }
}

function compilePorts(ports: NetworkPolicyPort[] | undefined): CompiledPort[] | null {
  if (!ports || ports.length === 0) return null;
  return ports.map((p) => {
    const protocol = p.protocol ?? 'TCP';
    if (p.port === undefined || p.port === null) return { protocol, kind: 'all', from: 0, to: 0, name: '' };
    if (typeof p.port === 'string') return { protocol, kind: 'named', from: 0, to: 0, name: p.port };
    return { protocol, kind: 'range', from: p.port, to: p.endPort ?? p.port, name: '' };
  });
}

function compileIPBlock(peer: NetworkPolicyPeer): CompiledIPBlock | undefined {
  const cidr = peer.ipBlock ? parseCidr(peer.ipBlock.cidr) : undefined;
  if (!cidr) return undefined;
  return { cidr, except: (peer.ipBlock?.except ?? []).flatMap((e) => parseCidr(e) ?? []) };
}

export function ipBlockMatches(block: CompiledIPBlock, ip: IPAddress): boolean {
  return cidrContains(block.cidr, ip) && !block.except.some((e) => cidrContains(e, ip));
}

/** Compile namespaces, pods and policies. Throws ReachabilityInputError on duplicate pods. */
export function compileModel(model: ClusterModel, policies: readonly NetworkPolicy[]): CompiledModel {
  const nsLabels = new Map<string, Record<string, string>>();
  for (const ns of model.namespaces) nsLabels.set(ns.name, { ...(ns.labels ?? {}), [NAMESPACE_NAME_LABEL]: ns.name });

  const podIndex = new Map<string, number>();
  const pods: CompiledPod[] = model.pods.map((pod, index) => {
    const ref = `${pod.namespace}/${pod.name}`;
    if (podIndex.has(ref)) throw new ReachabilityInputError(`pods[${index}]`, `duplicate pod "${ref}"`);
    podIndex.set(ref, index);
    if (!nsLabels.has(pod.namespace)) nsLabels.set(pod.namespace, { [NAMESPACE_NAME_LABEL]: pod.namespace });
    const namedPorts = new Map<string, number>();
    for (const cp of pod.ports ?? []) if (cp.name) namedPorts.set(`${cp.name}/${cp.protocol ?? 'TCP'}`, cp.containerPort);
    const address = pod.ip ? parseIP(pod.ip) : undefined;
    return {
      ...pod,
      ref,
      index,
      ...(address ? { address } : {}),
      namedPorts,
      ingressPolicies: [],
      egressPolicies: [],
      ingressRules: [],
      egressRules: [],
    };
  });
  const n = pods.length;
  const all = BitSet.full(n);
  const podsByNamespace = new Map<string, number[]>();
  for (const pod of pods) {
    const list = podsByNamespace.get(pod.namespace) ?? [];
    list.push(pod.index);
    podsByNamespace.set(pod.namespace, list);
  }

  // Selector results are cached: generated policies repeat selectors a lot.
  const cache = new Map<string, BitSet>();
  const podsMatching = (podSel: LabelSelector | undefined, nsSel: LabelSelector | undefined, policyNs: string): BitSet => {
    const key = `${canonicalJson(podSel ?? null)}|${canonicalJson(nsSel ?? null)}|${nsSel ? '' : policyNs}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const set = new BitSet(n);
    const podReqs = podSel ? requirementsOf(podSel) : [];
    const nsReqs = nsSel ? requirementsOf(nsSel) : undefined;
    if (podReqs && (nsSel === undefined || nsReqs)) {
      const namespaces = nsSel ? [...podsByNamespace.keys()].filter((ns) => matches(nsReqs ?? [], nsLabels.get(ns) ?? {})) : [policyNs];
      for (const ns of namespaces) {
        for (const i of podsByNamespace.get(ns) ?? []) if (matches(podReqs, pods[i]!.labels ?? {})) set.add(i);
      }
    }
    cache.set(key, set);
    return set;
  };

  const compiled: CompiledPolicy[] = policies.map((raw, p) => {
    const policy = applyDefaults(raw);
    const ns = policy.metadata?.namespace ?? 'default';
    const ref = `${ns}/${policy.metadata?.name ?? ''}`;
    const selected = podsMatching(policy.spec?.podSelector ?? {}, undefined, ns);
    const types = policy.spec?.policyTypes ?? [];
    const entry: CompiledPolicy = { ref, policy, selected, ingress: types.includes('Ingress'), egress: types.includes('Egress') };

    const compileRule = (direction: 'ingress' | 'egress', index: number, peers: NetworkPolicyPeer[] | undefined, ports: NetworkPolicyPort[] | undefined): CompiledRule => {
      const allPeers = !peers || peers.length === 0;
      const peerPods = allPeers ? all : new BitSet(n);
      const ipBlocks: CompiledIPBlock[] = [];
      if (!allPeers) {
        for (const peer of peers) {
          if (peer.ipBlock) {
            const block = compileIPBlock(peer);
            if (!block) continue;
            ipBlocks.push(block);
            for (const pod of pods) if (pod.address && ipBlockMatches(block, pod.address)) peerPods.add(pod.index);
          } else if (peer.podSelector || peer.namespaceSelector) {
            peerPods.orWith(podsMatching(peer.podSelector ?? {}, peer.namespaceSelector, ns));
          }
        }
      }
      return { policy: p, direction, index, allPeers, peerPods, ipBlocks, ports: compilePorts(ports) };
    };

    const ingressRules = entry.ingress ? (policy.spec.ingress ?? []).map((r, i) => compileRule('ingress', i, r.from, r.ports)) : [];
    const egressRules = entry.egress ? (policy.spec.egress ?? []).map((r, i) => compileRule('egress', i, r.to, r.ports)) : [];
    for (const i of selected) {
      const pod = pods[i]!;
      if (entry.ingress) {
        pod.ingressPolicies.push(p);
        pod.ingressRules.push(...ingressRules);
      }
      if (entry.egress) {
        pod.egressPolicies.push(p);
        pod.egressRules.push(...egressRules);
      }
    }
    return entry;
  });

  return { pods, podIndex, policies: compiled, all };
}

/** Whether a rule's ports admit `port`/`protocol` towards `destination` (a pod, or undefined for an address). */
export function portsAdmit(ports: CompiledPort[] | null, port: number, protocol: Protocol, destination: CompiledPod | undefined): boolean {
  if (ports === null) return true;
  for (const p of ports) {
    if (p.protocol !== protocol) continue;
    if (p.kind === 'all') return true;
    if (p.kind === 'range') {
      if (port >= p.from && port <= p.to) return true;
    } else if (destination && destination.namedPorts.get(`${p.name}/${protocol}`) === port) {
      return true;
    }
  }
  return false;
}
