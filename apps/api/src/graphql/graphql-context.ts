import type { ClusterLoaders } from '../clusters/cluster.loaders.js';
import type { AuthedRequest } from '../common/auth.decorator.js';
import type { HttpResponse } from '../common/http.types.js';
import type { PolicyLoaders } from '../desired-state/desired-state.loaders.js';
import type { InventoryLoaders } from '../inventory/inventory.loaders.js';

export interface GqlContext {
  req: AuthedRequest;
  /** the HTTP response (absent over graphql-ws) */
  res?: HttpResponse;
  loaders: ClusterLoaders & PolicyLoaders & InventoryLoaders;
}
