export * from './rollout.model.js';
export * from './rollout.schemas.js';
export * from './rollout-strategy.builder.js';
export * from './rollout.repository.js';
export * from './rollout-dispatch.service.js';
export * from './rollout-execution.service.js';
export * from './rollout.service.js';
