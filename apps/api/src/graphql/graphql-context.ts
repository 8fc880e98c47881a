import type { ClusterLoaders } from '../clusters/cluster.loaders.js';
import type { AuthedRequest } from '../common/auth.decorator.js';

export interface GqlContext {
  req: AuthedRequest;
  loaders: ClusterLoaders;
}
