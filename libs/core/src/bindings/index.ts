export * from './binding.model.js';
export * from './binding.schemas.js';
export * from './binding.repository.js';
export * from './binding.service.js';
