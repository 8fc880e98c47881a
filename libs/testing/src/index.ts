export * from './database/database-names.js';
export * from './database/test-database.js';
export * from './redis/test-redis.js';
export type { FleetgateProvidedContext } from './harness/provided-context.js';
