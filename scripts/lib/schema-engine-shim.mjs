#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary (set PRISMA_SCHEMA_ENGINE_BINARY to this
// file; scripts/prisma.mjs does). It speaks the binary's protocol to the ordinary Prisma 7 CLI:
//   schema-engine --version
//   schema-engine --datasource '{"url":…}' cli can-connect-to-database|create-database|drop-database
//   schema-engine --datamodels <file>… --datasource '{"url":…}'   → JSON-RPC 2.0, one message a line
// and runs the requests on the wasm engine with the patched pg adapter (./schema-engine.mjs).
// Differences from native: createMigration/evaluateDataLoss are emulated with diff (data-loss
// warnings are not reported), and errors carry no P-codes beyond the connection ones below.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { NO_FILTERS, engineErrorMessage, lastEnginePanic, openSchemaEngine, pgConfigFromUrl, quoteIdent } from './schema-engine.mjs';

const ENGINE_HASH = '0edf323efd1d98336f3f0a68684b56f689b900d3';

function parseArgs(argv) {
  const out = { datamodels: [], datasource: null, cli: null, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--version' || a === '-V') out.version = true;
    else if (a === '--datamodels') out.datamodels.push(argv[++i]);
    else if (a === '--datasource') out.datasource = JSON.parse(argv[++i] ?? 'null');
    else if (a === 'cli') out.cli = argv[++i] ?? null;
    else if (a === '--enabled-preview-features' || a === '--extension-types') i++;
  }
  return out;
}

/** Maps a pg connection error to the Prisma error code the CLI understands. */
function prismaErrorCode(error, database) {
  switch (error?.code) {
    case '3D000':
      return { code: 'P1003', message: `Database \`${database}\` does not exist` };
    case '28P01':
    case '28000':
      return { code: 'P1000', message: `Authentication failed against the database server: ${error.message}` };
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return { code: 'P1001', message: `Can't reach database server: ${error.message}` };
    default:
      return { code: 'P1000', message: error?.message ?? String(error) };
  }
}

/** The CLI reads stderr as JSON lines after the first one (cli.js m2e); no trailing newline. */
function failOneShot({ code, message }) {
  const line = (level, fields) => JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target: 'schema_engine::logger' });
  process.stderr.write(`${line('INFO', { message: 'Starting schema engine (wasm shim)' })}\n${line('ERROR', { is_panic: false, error_code: code, message })}`);
  process.exit(1);
}

async function withAdminClient(url, fn) {
  const config = pgConfigFromUrl(url);
  const client = new pg.Client({ ...config, database: 'postgres' });
  await client.connect();
  try {
    return await fn(client, config.database);
  } finally {
    await client.end();
  }
}

async function oneShot(command, url) {
  const config = pgConfigFromUrl(url);
  try {
    switch (command) {
      case 'can-connect-to-database': {
        const client = new pg.Client(config);
        await client.connect();
        await client.end();
        return;
      }
      case 'create-database':
        await withAdminClient(url, (c, db) => c.query(`CREATE DATABASE ${quoteIdent(db)}`));
        return;
      case 'drop-database':
        await withAdminClient(url, (c, db) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(db)} WITH (FORCE)`));
        return;
      default:
        failOneShot({ code: 'P1000', message: `Unknown schema engine cli command: ${command}` });
    }
  } catch (error) {
    failOneShot(prismaErrorCode(error, config.database));
  }
}

/** `createMigration` through `diff` (the engine's own needs a shadow DB it cannot get on Postgres). */
async function createMigrationViaDiff(engine, { draft, migrationName, migrationsList, schema, filters }) {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const script = await diffToSchema(engine, migrationsList, schema, filters);
  return {
    connectorType: 'postgresql',
    generatedMigrationName: migrationName ? `${stamp}_${migrationName}` : stamp,
    extension: 'sql',
    migrationScript: script ?? (draft ? '-- This is an empty migration.' : null),
  };
}

async function diffToSchema(engine, migrationsList, schema, filters) {
  const lockfile = migrationsList.lockfile?.content
    ? migrationsList.lockfile
    : { path: 'migration_lock.toml', content: 'provider = "postgresql"\n' };
  const result = await engine.diff({
    from: { tag: 'migrations', ...migrationsList, lockfile },
    to: { tag: 'schemaDatamodel', files: schema.files },
    script: true,
    exitCode: true,
    filters: filters ?? NO_FILTERS,
  });
  return result.exitCode === 2 && result.stdout ? result.stdout : null;
}

async function serve(args) {
  const url = args.datasource?.url;
  const datamodels = await Promise.all(args.datamodels.map(async (path) => [path, await readFile(path, 'utf8')]));
  const log = (line) => {
    for (const l of String(line).split('\n')) if (l.trim()) process.stderr.write(`${l}\n`);
  };
  let handle = null;
  const engine = async () => {
    if (!url) throw new Error('No database URL: set datasource.url in prisma.config.ts (or DATABASE_URL)');
    handle ??= await openSchemaEngine({ url, datamodels, log });
    return handle.engine;
  };
  const methods = {
    createMigration: async (p) => createMigrationViaDiff(await engine(), p),
    evaluateDataLoss: async (p) => ({
      migrationSteps: (await diffToSchema(await engine(), p.migrationsList, p.schema, p.filters)) === null ? 0 : 1,
      warnings: [],
      unexecutableSteps: [],
    }),
    getDatabaseVersion: async (p) => (await engine()).version(p ?? null),
    createDatabase: async (p) => {
      const target = p?.datasource?.tag === 'ConnectionString' ? p.datasource.url : url;
      const name = pgConfigFromUrl(target).database;
      await withAdminClient(target, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
      return { databaseName: name };
    },
  };

  let closing = false;
  const shutdown = async (code) => {
    if (closing) return;
    closing = true;
    await handle?.close().catch(() => {});
    process.exit(code);
  };
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(0));

  const reply = (msg) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);
  // The native engine prints `diff` output through a `print` request to the CLI (which writes it
  // to its stdout and answers with an empty result) and returns `stdout: null`.
  let printId = 1_000_000_000;
  methods.diff = async (p) => {
    const result = await (await engine()).diff(p);
    if (result.stdout !== null && result.stdout !== undefined) {
      reply({ id: printId++, method: 'print', params: { content: result.stdout.replace(/\n$/, '') } });
    }
    return { exitCode: result.exitCode, stdout: null };
  };
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    if (!line.trim()) return;
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      reply({ id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (typeof request.method !== 'string') return; // the CLI's answer to a `print` request
    // One request at a time, as the native engine does over its single connection.
    queue = queue.then(async () => {
      const { id, method, params } = request;
      try {
        const own = methods[method];
        let result;
        if (own) result = await own(params);
        else {
          const e = await engine();
          if (typeof e[method] !== 'function') throw new Error(`Unknown schema engine method: ${method}`);
          result = await e[method](params);
        }
        reply({ id, result: result === undefined ? null : result });
      } catch (error) {
        const message = lastEnginePanic() ?? engineErrorMessage(error);
        reply({ id, error: { code: 4466, message: 'An error happened. Check the data field for details.', data: { is_panic: false, message, meta: null, error_code: null } } });
      }
    });
  });
  rl.on('close', () => void queue.then(() => shutdown(0)));
}

const args = parseArgs(process.argv.slice(2));
if (args.version) {
  process.stdout.write(`schema-engine-cli ${ENGINE_HASH}\n`);
} else if (args.cli) {
  await oneShot(args.cli, args.datasource?.url);
} else {
  await serve(args);
}
