export * from './labels/index.js';
export * from './validation/field-error.js';
export * from './validation/names.js';
