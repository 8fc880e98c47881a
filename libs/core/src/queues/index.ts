export * from './queue-registry.job.js';
export * from './queues.module.js';
export * from './redis-connection.service.js';
export * from './redis-connections.service.js';
export * from './redis-events.publisher.js';
