export * from './domain.error.js';
export * from './zod-errors.mapper.js';
