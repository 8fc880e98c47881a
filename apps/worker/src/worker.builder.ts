import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FleetgateConfig } from '@fleetgate/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module.js';

/** The worker as a standalone application context (used by main.ts and tests). */
export async function createWorker(config: FleetgateConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  return app;
}
