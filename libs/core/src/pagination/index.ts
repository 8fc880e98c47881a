export * from './cursor.mapper.js';
