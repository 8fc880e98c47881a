/** The cluster model the reachability engine reasons about, and its answers. */
import type { NetworkPolicy, Protocol } from '../types/network-policy.js';

export interface NamespaceModel {
  name: string;
  /** `kubernetes.io/metadata.name: <name>` is added, as the API server does. */
  labels?: Record<string, string>;
}

export interface ContainerPortModel {
  name?: string;
  containerPort: number;
  /** Default TCP. */
  protocol?: Protocol;
}

export interface PodModel {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  /** The pod IP; ipBlock peers match pods by it. Without one, only selectors can match the pod. */
  ip?: string;
  ports?: ContainerPortModel[];
}

export interface ClusterModel {
  namespaces: NamespaceModel[];
  pods: PodModel[];
}

export interface ReachabilityInput extends ClusterModel {
  policies: NetworkPolicy[];
}

/** One connection to check. `from`/`to` is a pod (`namespace/name`) or an IP address. */
export interface Query {
  from: string;
  to: string;
  /** A number, or a port name resolved on the destination pod. */
  port: number | string;
  /** Default TCP. */
  protocol?: Protocol;
}

/** A rule of a policy: `ingress[i]` or `egress[i]` of `namespace/name`. */
export interface RuleRef {
  policy: string;
  direction: 'ingress' | 'egress';
  rule: number;
}

export interface DirectionVerdict {
  /** False when that end is not a pod: an external address is not subject to NetworkPolicy. */
  enforced: boolean;
  /** Whether some policy of this direction selects the pod. */
  isolated: boolean;
  /** The policies (`namespace/name`) whose podSelector selects the pod for this direction. */
  isolatedBy: string[];
  /** Every rule that allows the connection (empty when none does). */
  allowedBy: RuleRef[];
  allowed: boolean;
}

export interface Explanation {
  /** Egress from the source. */
  egress: DirectionVerdict;
  /** Ingress to the destination. */
  ingress: DirectionVerdict;
  /** One sentence saying why. */
  summary: string;
}

export interface QueryResult {
  from: string;
  to: string;
  port: number | string;
  protocol: Protocol;
  allowed: boolean;
  explanation: Explanation;
}

export interface PortProtocol {
  port: number;
  protocol: Protocol;
}

/** A connection in `diff` output. */
export interface Connection {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
}

export interface ReachabilityDiff {
  /** Connections allowed after but not before. */
  opened: Connection[];
  /** Connections allowed before but not after. */
  closed: Connection[];
}

/** Bad input: names the field (e.g. `queries[2].from`). */
export class ReachabilityInputError extends Error {
  override readonly name = 'ReachabilityInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
