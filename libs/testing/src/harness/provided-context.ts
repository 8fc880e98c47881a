// What test/global-setup.ts provides to every int and e2e test file (Vitest provide/inject).
export interface FleetgateProvidedContext {
  /** Any URL of the Postgres server the tests use (its database part is irrelevant). */
  fleetgateDatabaseServerUrl: string;
  /** The migrated template database that createTestDatabase() clones. */
  fleetgateTemplateDatabase: string;
  /** The Redis server; each test file keeps to its own key prefix (testRedis()). */
  fleetgateRedisUrl: string;
  /** Identifies this run's databases, so that its teardown drops what killed files left. */
  fleetgateRunId: string;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface ProvidedContext extends FleetgateProvidedContext {}
}
