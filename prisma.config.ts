import { defineConfig } from 'prisma/config';

// The datasource URL is only needed by commands that talk to the database (our own
// scripts/db.mjs applies migrations through the wasm schema engine, see README).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/fleetgate' },
});
