export * from './idempotency.repository.js';
export * from './idempotency.service.js';
