export * from './desired-state.builder.js';
export * from './cluster-facts.service.js';
export * from './desired-state.service.js';
export * from './assigned-state.repository.js';
export * from './assigned-state.service.js';
