export * from './cluster.model.js';
export * from './cluster.schemas.js';
export * from './cluster.repository.js';
export * from './cluster-credentials.service.js';
export * from './cluster-clients.service.js';
export * from './cluster.service.js';
export * from './cluster-probe.service.js';
export * from './cluster-probe.queue.js';
