import { AuditEventsResolver } from '../audit/audit-events.resolver.js';
import { ClustersResolver } from '../clusters/clusters.resolver.js';
import { TokensResolver } from '../tokens/tokens.resolver.js';

/** Every resolver class: the app module and scripts/schema-gql.mjs build the schema from this list. */
export const RESOLVERS = [ClustersResolver, TokensResolver, AuditEventsResolver];
