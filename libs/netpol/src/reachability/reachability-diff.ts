/** diff(before, after, model): the connections a policy change opens and closes. */
import type { NetworkPolicy } from '../types/network-policy.js';
import { compileModel } from './compile-model.js';
import { computeMatrix } from './reachability-matrix.js';
import type { ClusterModel, Connection, PortProtocol, ReachabilityDiff } from './reachability.types.js';

/** The distinct ports (with protocol) the pods of a model declare. */
export function declaredPorts(model: ClusterModel): PortProtocol[] {
  const seen = new Map<string, PortProtocol>();
  for (const pod of model.pods) {
    for (const cp of pod.ports ?? []) {
      const protocol = cp.protocol ?? 'TCP';
      seen.set(`${cp.containerPort}/${protocol}`, { port: cp.containerPort, protocol });
    }
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/**
 * Compares every pod pair under `before` and `after`. Without `ports`, a pair is compared on the
 * ports its destination declares (as the default reachability queries are); with `ports`, on those.
 */
export function diff(
  before: readonly NetworkPolicy[],
  after: readonly NetworkPolicy[],
  model: ClusterModel,
  ports?: readonly PortProtocol[],
): ReachabilityDiff {
  const explicit = ports !== undefined;
  const list = ports ?? declaredPorts(model);
  const a = computeMatrix(compileModel(model, before), list);
  const b = computeMatrix(compileModel(model, after), list);
  const n = model.pods.length;
  const declares = model.pods.map((pod) => new Set((pod.ports ?? []).map((cp) => `${cp.containerPort}/${cp.protocol ?? 'TCP'}`)));
  const opened: Connection[] = [];
  const closed: Connection[] = [];
  list.forEach((pp, p) => {
    const x = a.allowed[p]!;
    const y = b.allowed[p]!;
    const key = `${pp.port}/${pp.protocol}`;
    for (let i = 0; i < n * n; i++) {
      if (x[i] === y[i]) continue;
      const from = Math.floor(i / n);
      const to = i % n;
      if (!explicit && (from === to || !declares[to]!.has(key))) continue;
      const connection: Connection = { from: a.pods[from]!, to: a.pods[to]!, port: pp.port, protocol: pp.protocol };
      (y[i] ? opened : closed).push(connection);
    }
  });
  return { opened, closed };
}
