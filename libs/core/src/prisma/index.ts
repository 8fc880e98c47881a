export * from './prisma.service.js';
