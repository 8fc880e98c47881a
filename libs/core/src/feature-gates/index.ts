export * from './feature-gate.model.js';
export * from './feature-gate.schemas.js';
export * from './feature-gate.repository.js';
export * from './feature-gate.service.js';
