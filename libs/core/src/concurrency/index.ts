export * from './expiring-memo.js';
export * from './write-batcher.js';
