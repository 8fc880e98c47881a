export * from './key-rotation.service.js';
