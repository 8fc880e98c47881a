/* global WebAssembly */
// Prisma 7's schema engine (migrations, diff, status) as WebAssembly, driven through a patched
// @prisma/adapter-pg factory, so that no native `schema-engine` binary is needed.
// See TOOLCHAIN.md §3 for the four adapter bugs fixed here (a–d).
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { parse as parseConnectionString } from 'pg-connection-string';

/** The `filters` argument every engine call takes. */
export const NO_FILTERS = Object.freeze({ externalTables: [], externalEnums: [] });

/** pg OIDs the adapter cannot map: 18 = "char" (pg_constraint.contype), 19 = name. Read as TEXT. */
const TEXT_OID = 25;
const UNMAPPED_TEXT_OIDS = new Set([18, 19]);

/**
 * Discrete pg connection settings from a URL (fix a: with `{connectionString}`, pg lets the URL
 * win over `database`, so the "shadow" pool would connect to the main database).
 * @param {string} url
 */
export function pgConfigFromUrl(url) {
  const c = parseConnectionString(url);
  /** @type {import('pg').PoolConfig} */
  const config = {
    host: c.host ?? '127.0.0.1',
    port: c.port ? Number(c.port) : 5432,
    user: c.user ? decodeURIComponent(c.user) : 'postgres',
    database: c.database ?? 'postgres',
    max: 4,
  };
  if (c.password) config.password = c.password;
  if (c.ssl && typeof c.ssl === 'object') config.ssl = c.ssl;
  else if (c.ssl === true) config.ssl = true;
  if (c.options) config.options = c.options;
  return config;
}

/** @param {string} name */
export function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Rewrites unmapped OIDs in a pg result so the adapter reads them as TEXT (fix c). */
function patchQueryable(q) {
  const performIO = q.performIO.bind(q);
  q.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result?.fields ?? []) {
      if (UNMAPPED_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
  return q;
}

/** Applies fixes c and d to an adapter returned by PrismaPg#connect(). */
function patchAdapter(adapter) {
  patchQueryable(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => patchQueryable(await startTransaction(...args));
  // Fix d: the whole script as one simple-protocol query, i.e. one implicit transaction, as the
  // native engine does (the adapter splits on ';', which breaks $$ bodies and atomicity).
  adapter.executeScript = async (script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

/**
 * PrismaPg with the migration-path bugs fixed. Every pool it opens is tracked so that `close()`
 * can end them all (the engine never disposes its main connection).
 */
export class PatchedPrismaPg extends PrismaPg {
  /** @param {import('pg').PoolConfig} config */
  constructor(config) {
    super(config);
    /** @type {Set<{dispose(): Promise<void>}>} */
    this.open = new Set();
  }

  async connect() {
    const adapter = patchAdapter(await super.connect());
    const dispose = adapter.dispose.bind(adapter);
    let disposed = false;
    adapter.dispose = async () => {
      if (disposed) return;
      disposed = true;
      this.open.delete(adapter);
      await dispose();
    };
    this.open.add(adapter);
    return adapter;
  }

  /** Fix b: create the shadow database, and close its pool BEFORE dropping it (WITH (FORCE)). */
  async connectToShadowDb() {
    const admin = await this.connect();
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    await admin.executeScript(`CREATE DATABASE ${quoteIdent(database)}`);
    const shadowFactory = new PatchedPrismaPg({ ...this.config, database });
    const shadow = await shadowFactory.connect();
    const dispose = shadow.dispose.bind(shadow);
    let disposed = false;
    shadow.dispose = async () => {
      if (disposed) return;
      disposed = true;
      try {
        await dispose();
      } finally {
        try {
          await admin.executeScript(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
        } finally {
          await admin.dispose();
        }
      }
    };
    return shadow;
  }

  async close() {
    await Promise.allSettled([...this.open].map((a) => a.dispose()));
  }
}

let wasmModule;
let lastPanic = null;

/** The message of the last Rust panic inside the engine, if any. */
export function lastEnginePanic() {
  return lastPanic;
}

/** Instantiates the schema-engine wasm once per process (Node 20 cannot import .wasm directly). */
async function loadWasm() {
  if (!wasmModule) {
    wasmModule = (async () => {
      // The wasm reports a Rust panic's message here before it traps (Prisma's own loaders set it).
      globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
        set_message(message) {
          lastPanic = message;
          process.stderr.write(`schema engine panicked: ${message}\n`);
        },
      };
      const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
      const require = createRequire(import.meta.url);
      const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
      const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': bg });
      bg.__wbg_set_wasm(instance.exports);
      instance.exports.__wbindgen_start();
      return bg;
    })();
  }
  return wasmModule;
}

/**
 * Starts a schema engine on `url`.
 * @param {{ url: string, datamodels?: [string, string][], log?: (line: string) => void }} options
 * @returns {Promise<{ engine: any, factory: PatchedPrismaPg, close(): Promise<void> }>}
 */
export async function openSchemaEngine({ url, datamodels = [], log = () => {} }) {
  const bg = await loadWasm();
  // The engine panics without at least one schema file; a bare datasource is all it needs for
  // deploy and status.
  if (datamodels.length === 0) datamodels = [['schema.prisma', 'datasource db {\n  provider = "postgresql"\n}\n']];
  const factory = new PatchedPrismaPg(pgConfigFromUrl(url));
  const engine = await bg.SchemaEngine.new({ datamodels }, log, bindMigrationAwareSqlAdapterFactory(factory));
  return {
    engine,
    factory,
    async close() {
      try {
        engine.free();
      } finally {
        await factory.close();
      }
    },
  };
}

/** The text of an engine error (the wasm rejects with Errors or plain objects). */
export function engineErrorMessage(error) {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object') {
    if (typeof error.message === 'string') return error.message;
    return JSON.stringify(error);
  }
  return String(error);
}
