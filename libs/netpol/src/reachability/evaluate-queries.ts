/** Answering single queries, each with its explanation. */
import { parseIP, type IPAddress } from '../cidr/ip.js';
import { PROTOCOLS, type NetworkPolicy, type Protocol } from '../types/network-policy.js';
import { compileModel, ipBlockMatches, portsAdmit, type CompiledModel, type CompiledPod, type CompiledRule } from './compile-model.js';
import {
  ReachabilityInputError,
  type ClusterModel,
  type DirectionVerdict,
  type Query,
  type QueryResult,
  type ReachabilityInput,
  type RuleRef,
} from './reachability.types.js';

type Endpoint = { kind: 'pod'; pod: CompiledPod } | { kind: 'ip'; ip: IPAddress; text: string };

function resolveEndpoint(model: CompiledModel, text: unknown, field: string): Endpoint {
  if (typeof text !== 'string' || text === '') throw new ReachabilityInputError(field, 'must be a pod (namespace/name) or an IP address');
  if (text.includes('/')) {
    const index = model.podIndex.get(text);
    if (index === undefined) throw new ReachabilityInputError(field, `unknown pod "${text}"`);
    return { kind: 'pod', pod: model.pods[index]! };
  }
  const ip = parseIP(text);
  if (!ip) throw new ReachabilityInputError(field, `"${text}" is neither a pod (namespace/name) nor an IP address`);
  return { kind: 'ip', ip, text };
}

function peerMatches(rule: CompiledRule, peer: Endpoint): boolean {
  if (peer.kind === 'pod') return rule.peerPods.has(peer.pod.index);
  return rule.allPeers || rule.ipBlocks.some((block) => ipBlockMatches(block, peer.ip));
}

function ruleRef(model: CompiledModel, rule: CompiledRule): RuleRef {
  return { policy: model.policies[rule.policy]!.ref, direction: rule.direction, rule: rule.index };
}

function verdict(
  model: CompiledModel,
  subject: Endpoint,
  other: Endpoint,
  direction: 'ingress' | 'egress',
  port: number,
  protocol: Protocol,
  destination: CompiledPod | undefined,
): DirectionVerdict {
  if (subject.kind !== 'pod') return { enforced: false, isolated: false, isolatedBy: [], allowedBy: [], allowed: true };
  const pod = subject.pod;
  const policies = direction === 'ingress' ? pod.ingressPolicies : pod.egressPolicies;
  const rules = direction === 'ingress' ? pod.ingressRules : pod.egressRules;
  const allowedBy = rules.filter((r) => peerMatches(r, other) && portsAdmit(r.ports, port, protocol, destination)).map((r) => ruleRef(model, r));
  const isolated = policies.length > 0;
  return { enforced: true, isolated, isolatedBy: policies.map((p) => model.policies[p]!.ref), allowedBy, allowed: !isolated || allowedBy.length > 0 };
}

function describe(direction: 'egress' | 'ingress', name: string, v: DirectionVerdict): string {
  const what = direction === 'egress' ? `egress from ${name}` : `ingress to ${name}`;
  if (!v.enforced) return `${what}: not a pod, no policy applies`;
  if (!v.isolated) return `${what}: not isolated (no ${direction === 'egress' ? 'Egress' : 'Ingress'} policy selects it)`;
  if (v.allowedBy.length) return `${what}: allowed by ${v.allowedBy.map((r) => `${r.policy} ${r.direction}[${r.rule}]`).join(', ')}`;
  return `${what}: isolated by ${v.isolatedBy.join(', ')} and no rule allows it`;
}

function endpointName(e: Endpoint): string {
  return e.kind === 'pod' ? e.pod.ref : e.text;
}

/** Answer queries against a compiled model. Throws ReachabilityInputError naming `queries[i].<field>`. */
export function evaluateQueries(model: CompiledModel, queries: readonly Query[]): QueryResult[] {
  return queries.map((q, i) => {
    const field = `queries[${i}]`;
    const from = resolveEndpoint(model, q.from, `${field}.from`);
    const to = resolveEndpoint(model, q.to, `${field}.to`);
    const protocol = (q.protocol ?? 'TCP') as Protocol;
    if (!PROTOCOLS.includes(protocol)) throw new ReachabilityInputError(`${field}.protocol`, `must be one of ${PROTOCOLS.join(', ')}`);
    const destination = to.kind === 'pod' ? to.pod : undefined;
    let port: number | undefined;
    if (typeof q.port === 'number') {
      if (!Number.isInteger(q.port) || q.port < 1 || q.port > 65535) throw new ReachabilityInputError(`${field}.port`, 'must be between 1 and 65535, inclusive');
      port = q.port;
    } else if (typeof q.port === 'string' && q.port !== '') {
      port = destination?.namedPorts.get(`${q.port}/${protocol}`);
    } else {
      throw new ReachabilityInputError(`${field}.port`, 'must be a port number or a port name');
    }
    if (port === undefined) {
      const none: DirectionVerdict = { enforced: to.kind === 'pod', isolated: false, isolatedBy: [], allowedBy: [], allowed: false };
      return {
        from: q.from, to: q.to, port: q.port, protocol, allowed: false,
        explanation: { egress: none, ingress: none, summary: `denied: port "${q.port}"/${protocol} is not declared on ${endpointName(to)}` },
      };
    }
    const egress = verdict(model, from, to, 'egress', port, protocol, destination);
    const ingress = verdict(model, to, from, 'ingress', port, protocol, destination);
    const allowed = egress.allowed && ingress.allowed;
    const summary = `${allowed ? 'allowed' : 'denied'}: ${describe('egress', endpointName(from), egress)}; ${describe('ingress', endpointName(to), ingress)}`;
    return { from: q.from, to: q.to, port: q.port, protocol, allowed, explanation: { egress, ingress, summary } };
  });
}

/** Every ordered pair of distinct pods, on every container port the destination declares. */
export function defaultQueries(model: ClusterModel): Query[] {
  const queries: Query[] = [];
  for (const to of model.pods) {
    for (const cp of to.ports ?? []) {
      for (const from of model.pods) {
        if (from === to) continue;
        queries.push({ from: `${from.namespace}/${from.name}`, to: `${to.namespace}/${to.name}`, port: cp.containerPort, protocol: cp.protocol ?? 'TCP' });
      }
    }
  }
  return queries;
}

/** Whether each query's connection is allowed under the policies, with explanations. */
export function checkReachability(input: ReachabilityInput, queries?: readonly Query[]): QueryResult[] {
  return evaluateQueries(compileModel(input, input.policies), queries ?? defaultQueries(input));
}

/** Convenience: one connection. */
export function isAllowed(model: ClusterModel, policies: readonly NetworkPolicy[], query: Query): QueryResult {
  return evaluateQueries(compileModel(model, policies), [query])[0]!;
}
