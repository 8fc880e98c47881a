import { QueueBoardResolver } from '../admin/queue-board.resolver.js';
import { AuditEventsResolver } from '../audit/audit-events.resolver.js';
import { BindingsResolver } from '../bindings/bindings.resolver.js';
import { ClusterStateResolver } from '../desired-state/cluster-state.resolver.js';
import { DriftFindingResolver, DriftResolver } from '../drift/drift.resolver.js';
import { ClusterInventoryFieldResolver, ClusterInventoryResolver } from '../inventory/inventory.resolver.js';
import { FeatureGatesResolver, GateFleetItemResolver } from '../feature-gates/feature-gates.resolver.js';
import { PolicyTemplatesResolver } from '../policy-templates/policy-templates.resolver.js';
import { ClustersResolver } from '../clusters/clusters.resolver.js';
import { NetpolResolver } from '../netpol/netpol.resolver.js';
import { RolloutTargetResolver, RolloutsResolver } from '../rollouts/rollouts.resolver.js';
import { TokensResolver } from '../tokens/tokens.resolver.js';

/** Every resolver class: the app module and scripts/schema-gql.mjs build the schema from this list. */
export const RESOLVERS = [
  ClustersResolver,
  ClusterStateResolver,
  DriftResolver,
  ClusterInventoryFieldResolver,
  ClusterInventoryResolver,
  DriftFindingResolver,
  FeatureGatesResolver,
  GateFleetItemResolver,
  PolicyTemplatesResolver,
  BindingsResolver,
  RolloutsResolver,
  RolloutTargetResolver,
  TokensResolver,
  AuditEventsResolver,
  NetpolResolver,
  QueueBoardResolver,
];
