import type { AddressInfo } from 'node:net';
import { ConfigError, TokenService, loadConfig } from '@fleetgate/core';
import { createApiApp } from './app.builder.js';
import { listenUrl } from './common/listen-address.mapper.js';

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
  const app = await createApiApp(config);
  app.enableShutdownHooks();
  const admin = await app.get(TokenService).bootstrapAdmin();
  if (admin.token) {
    // Printed once, to the terminal only (never to the structured log): it is not stored in plaintext.
    process.stdout.write(
      `\nfleetgate: created the first admin token (shown once, keep it safe):\n\n  ${admin.token}\n\n` +
        `Set FLEETGATE_ADMIN_TOKEN to choose your own instead.\n\n`,
    );
  }
  await app.listen(config.port, config.host);
  const bound = listenUrl(app.getHttpServer().address() as AddressInfo | null);
  process.stdout.write(`fleetgate api listening on ${bound.url} (REST /api/v1, docs /api/docs, GraphQL /graphql); ${bound.note}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
