export * from './inventory-refresh.service.js';
