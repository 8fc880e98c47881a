import { ConfigError, loadConfig } from '@fleetgate/core';
import { createWorker } from './worker.builder.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const app = await createWorker(config);
  app.enableShutdownHooks();
  process.stdout.write(`fleetgate worker started (queue prefix ${config.queuePrefix})\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
