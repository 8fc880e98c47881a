export * from './config.error.js';
export * from './config.service.js';
