export * from './prisma.service.js';
export * from './prisma-errors.js';
