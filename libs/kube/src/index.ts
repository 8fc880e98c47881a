export { type ClusterConnection, KubeconfigError, connectionFromKubeconfig, kubeconfigFromConnection } from './connection.js';
export {
  KubeApiError,
  type KubeApiErrorInit,
  type KubeApiErrorKind,
  type KubeStatus,
  type KubeStatusCause,
  httpError,
  networkError,
  parseRetryAfter,
} from './kube-api.error.js';
export { KubeClientCache } from './kube-client-cache.js';
export { KubeClient, type ApplyOptions, type KubeClientOptions, type ListOptions, type ListPage } from './kube-client.js';
export { type RetryOptions, backoffDelay, withRetry } from './retry.js';
export type { TransportOptions } from './transport.js';
export type * from './types.js';
export {
  type ApplierOptions,
  type ApplyReport,
  type ApplyScope,
  type DesiredObject,
  type FieldChange,
  FIELD_MANAGER,
  ForeignObjectError,
  type ObjectAction,
  type ObjectResult,
  applyToCluster,
  policyDiff,
  policyHash,
} from './applier.js';
export { AgentPool } from './agent-pool.js';
export { type KubeStream, StreamPool, type StreamPoolOptions } from './stream-pool.js';
export { KubeWatch, type KubeWatchOptions, LineDecoder, type WatchCounters, type WatchEventType, WatchEventTooLarge, type WatchState, type WatchedObject } from './kube-watch.js';
export { mapLimit } from './map-limit.js';
