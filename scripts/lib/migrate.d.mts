// Types for ./migrate.mjs (imported by the TypeScript test harness).
export declare const ROOT: string;
export declare const DEFAULT_SCHEMA: string;
export declare const DEFAULT_MIGRATIONS: string;
export declare const LOCKFILE_CONTENT: string;

export interface MigrationPaths {
  schemaPath?: string;
  migrationsDir?: string;
}

export interface MigrationsList {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  migrationDirectories: { path: string; migrationFile: { path: string; content: { tag: 'ok' | 'error'; value: string } } }[];
  shadowDbInitScript: string;
}

export interface MigrationStatus {
  upToDate: boolean;
  migrations: string[];
  pending: string[];
  failed: string[];
  edited: string[];
  history:
    | { diagnostic: 'databaseIsBehind'; unappliedMigrationNames: string[] }
    | { diagnostic: 'migrationsDirectoryIsBehind'; unpersistedMigrationNames: string[] }
    | { diagnostic: 'historiesDiverge'; lastCommonMigrationName: string | null; unpersistedMigrationNames: string[]; unappliedMigrationNames: string[] }
    | null;
  hasMigrationsTable: boolean;
}

export declare function readMigrationsList(migrationsDir: string, options?: { synthesizeLockfile?: boolean }): Promise<MigrationsList>;
export declare function applyMigrations(databaseUrl: string, options?: { migrationsDir?: string }): Promise<{ appliedMigrationNames: string[] }>;
export declare function migrationStatus(databaseUrl: string, options?: { migrationsDir?: string }): Promise<MigrationStatus>;
export declare function migrationTimestamp(date?: Date): string;
export declare function migrationSlug(name: string): string;
export declare function diffMigrationsToSchema(databaseUrl: string, options?: MigrationPaths): Promise<string>;
export declare function createMigration(
  databaseUrl: string,
  options: MigrationPaths & { name: string; now?: Date },
): Promise<{ created: false } | { created: true; name: string; path: string; sql: string }>;
