export * from './key-ring.service.js';
export * from './key-ring.provider.js';
