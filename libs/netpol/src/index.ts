export * from './labels/index.js';
export * from './validation/field-error.js';
export * from './validation/names.js';
export * from './validation/network-policy.validation.js';
export * from './cidr/index.js';
export * from './types/network-policy.js';
export * from './defaults/network-policy.defaults.js';
export * from './normalize/network-policy.normalize.js';
