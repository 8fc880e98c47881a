#!/usr/bin/env node
// Database migrations without the native Prisma schema engine (see scripts/lib/schema-engine.mjs):
//   npm run db:migrate               apply pending migrations (creates the database if missing)
//   npm run db:migration -- <name>   write prisma/migrations/<ts>_<name>/migration.sql from prisma/schema.prisma
//   npm run db:status                pending / failed / edited migrations; exit 1 unless up to date
// The files are Prisma's own format: `node scripts/prisma.mjs migrate deploy|status|dev` (the CLI
// running on our shim) and the native `prisma migrate deploy` accept the same history.
import { relative } from 'node:path';
import { DEFAULT_MIGRATIONS, applyMigrations, createMigration, migrationStatus } from './lib/migrate.mjs';
import { ServiceError, ensureServices, redactUrl } from './lib/services.mjs';

const usage = `usage: node scripts/db.mjs migrate | migration <name> | status  [--schema <file>] [--migrations <dir>]`;

/** Splits `--schema <file>` / `--migrations <dir>` (default: prisma/…) from the positional args. */
function parseArgs(argv) {
  const paths = {};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--schema') paths.schemaPath = argv[++i];
    else if (argv[i] === '--migrations') paths.migrationsDir = argv[++i];
    else positional.push(argv[i]);
  }
  return { paths, positional };
}

async function main(argv) {
  const { paths, positional } = parseArgs(argv);
  const [command, ...rest] = positional;
  if (!['migrate', 'migration', 'status'].includes(command ?? '')) {
    console.error(usage);
    return 2;
  }
  if (command === 'migration' && !rest[0]) {
    console.error('Name the migration: npm run db:migration -- <name>   (e.g. add_clusters)');
    return 2;
  }
  const { databaseUrl } = await ensureServices({ redis: false, log: (m) => console.log(m) });
  const where = redactUrl(databaseUrl);

  if (command === 'migrate') {
    const { appliedMigrationNames } = await applyMigrations(databaseUrl, paths);
    if (appliedMigrationNames.length === 0) console.log(`No pending migrations to apply (${where}).`);
    else {
      console.log(`Applied ${appliedMigrationNames.length} migration(s) to ${where}:`);
      for (const name of appliedMigrationNames) console.log(`  ${name}`);
    }
    return 0;
  }

  if (command === 'migration') {
    const result = await createMigration(databaseUrl, { ...paths, name: rest.join('_') });
    if (!result.created) {
      console.log('The schema matches the migrations: no migration created.');
      return 0;
    }
    console.log(`Created ${relative(process.cwd(), result.path)}:\n\n${result.sql}`);
    console.log('Review it, then apply it with `npm run db:migrate`.');
    return 0;
  }

  const status = await migrationStatus(databaseUrl, paths);
  console.log(`${status.migrations.length} migration(s) in ${relative(process.cwd(), paths.migrationsDir ?? DEFAULT_MIGRATIONS) || '.'}; database ${where}`);
  if (status.failed.length) console.log(`Failed (fix, then \`node scripts/prisma.mjs migrate resolve\`):\n  ${status.failed.join('\n  ')}`);
  if (status.edited.length) console.log(`Edited after being applied:\n  ${status.edited.join('\n  ')}`);
  if (status.pending.length) console.log(`Not yet applied (run \`npm run db:migrate\`):\n  ${status.pending.join('\n  ')}`);
  if (status.history && status.history.diagnostic !== 'databaseIsBehind') {
    console.log(`The database history differs from prisma/migrations: ${JSON.stringify(status.history)}`);
  }
  if (status.upToDate) console.log('Database schema is up to date.');
  return status.upToDate ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ServiceError ? error.message : `db: ${error.message}`);
    process.exit(1);
  },
);
