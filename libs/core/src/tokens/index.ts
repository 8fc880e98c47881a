export * from './token.repository.js';
export * from './token.service.js';
