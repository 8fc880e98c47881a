import type { QueryResult } from '@fleetgate/netpol';
import type { NetworkPolicyProtocolEnum, ReachabilityResultModel } from './netpol.model.js';

/** A query's port is a number or a name; GraphQL keeps them apart in `port` and `portName`. */
export function toReachabilityResultModel(r: QueryResult): ReachabilityResultModel {
  return {
    from: r.from,
    to: r.to,
    port: typeof r.port === 'number' ? r.port : null,
    portName: typeof r.port === 'string' ? r.port : null,
    protocol: r.protocol as NetworkPolicyProtocolEnum,
    allowed: r.allowed,
    explanation: r.explanation,
  };
}
