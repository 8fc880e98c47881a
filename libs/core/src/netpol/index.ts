export * from './netpol.service.js';
