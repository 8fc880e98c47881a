/** Matrix mode: every pod pair for a set of ports, computed with bitsets. */
import type { NetworkPolicy } from '../types/network-policy.js';
import { BitSet } from './bitset.js';
import { compileModel, type CompiledModel, type CompiledRule } from './compile-model.js';
import type { ClusterModel, PortProtocol } from './reachability.types.js';

export interface ReachabilityMatrix {
  /** Pod refs (`namespace/name`), indexing rows (source) and columns (destination). */
  pods: string[];
  ports: PortProtocol[];
  /** One n×n matrix per port, row-major: `allowed[p][from * n + to]` is 1 when allowed. */
  allowed: Uint8Array[];
}

/** The destinations a rule's ports admit for one port/protocol (named ports resolve per pod). */
function destinationsAdmitted(model: CompiledModel, rule: CompiledRule, pp: PortProtocol, namedIndex: Map<string, BitSet>): BitSet | null {
  if (rule.ports === null) return null; // every destination
  let named: BitSet | undefined;
  for (const p of rule.ports) {
    if (p.protocol !== pp.protocol) continue;
    if (p.kind === 'all' || (p.kind === 'range' && pp.port >= p.from && pp.port <= p.to)) return null;
    if (p.kind === 'named') {
      const key = `${p.name}/${pp.protocol}/${pp.port}`;
      let set = namedIndex.get(key);
      if (!set) {
        set = new BitSet(model.pods.length);
        for (const pod of model.pods) if (pod.namedPorts.get(`${p.name}/${pp.protocol}`) === pp.port) set.add(pod.index);
        namedIndex.set(key, set);
      }
      if (!named) named = new BitSet(model.pods.length);
      named.orWith(set);
    }
  }
  return named ?? new BitSet(model.pods.length);
}

export function computeMatrix(model: CompiledModel, ports: readonly PortProtocol[]): ReachabilityMatrix {
  const n = model.pods.length;
  const allowed = ports.map((pp) => {
    const namedIndex = new Map<string, BitSet>();
    const egressMasks = new Map<CompiledRule, BitSet>();
    const egressMask = (rule: CompiledRule): BitSet => {
      let mask = egressMasks.get(rule);
      if (!mask) {
        const dsts = destinationsAdmitted(model, rule, pp, namedIndex);
        mask = dsts === null ? rule.peerPods : rule.peerPods.and(dsts);
        egressMasks.set(rule, mask);
      }
      return mask;
    };
    // Sources each destination admits (ingress), destinations each source may reach (egress).
    const ingressFrom: BitSet[] = model.pods.map((dst) => {
      if (dst.ingressPolicies.length === 0) return model.all;
      const set = new BitSet(n);
      for (const rule of dst.ingressRules) {
        const dsts = destinationsAdmitted(model, rule, pp, namedIndex);
        if (dsts === null || dsts.has(dst.index)) set.orWith(rule.peerPods);
      }
      return set;
    });
    const out = new Uint8Array(n * n);
    for (const src of model.pods) {
      let reach = model.all;
      if (src.egressPolicies.length > 0) {
        reach = new BitSet(n);
        for (const rule of src.egressRules) reach.orWith(egressMask(rule));
      }
      const row = src.index * n;
      for (const d of reach) if (ingressFrom[d]!.has(src.index)) out[row + d] = 1;
    }
    return out;
  });
  return { pods: model.pods.map((p) => p.ref), ports: [...ports], allowed };
}

/** Every pod pair under `policies`, for each of `ports`. */
export function reachabilityMatrix(model: ClusterModel, policies: readonly NetworkPolicy[], ports: readonly PortProtocol[]): ReachabilityMatrix {
  return computeMatrix(compileModel(model, policies), ports);
}

/** Look one cell up by pod refs. */
export function matrixAllows(matrix: ReachabilityMatrix, from: string, to: string, port: PortProtocol): boolean {
  const n = matrix.pods.length;
  const f = matrix.pods.indexOf(from);
  const t = matrix.pods.indexOf(to);
  const p = matrix.ports.findIndex((x) => x.port === port.port && x.protocol === port.protocol);
  if (f < 0 || t < 0 || p < 0) return false;
  return matrix.allowed[p]![f * n + t] === 1;
}
