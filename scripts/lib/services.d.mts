// Types for ./services.mjs (imported by the TypeScript test harness).
export declare const DEFAULT_DATABASE_URL: string;
export declare const DEFAULT_REDIS_URL: string;

export declare class ServiceError extends Error {}

export interface ServiceFacts {
  postgres: { reachable: boolean; url: string; fromEnv: boolean };
  redis: { reachable: boolean; url: string; fromEnv: boolean };
  docker: boolean;
  pgClusters: { version: string; cluster: string; port: number; online: boolean }[];
  hasPgCtlcluster: boolean;
  hasRedisServer: boolean;
}

export type ServiceAction =
  | { kind: 'compose'; services: ('postgres' | 'redis')[]; env: Record<string, string> }
  | { kind: 'pg_ctlcluster'; version: string; cluster: string }
  | { kind: 'redis-server'; port: number };

export declare function resolveServiceUrls(env?: Record<string, string | undefined>): {
  databaseUrl: string;
  redisUrl: string;
  databaseUrlFromEnv: boolean;
  redisUrlFromEnv: boolean;
};
export declare function endpointOf(url: string, defaultPort: number): { host: string; port: number; local: boolean };
export declare function redactUrl(url: string): string;
export declare function planServices(facts: ServiceFacts): { actions: ServiceAction[] };
export declare function parsePgLsclusters(text: string): ServiceFacts['pgClusters'];
export declare function postgresAnswers(url: string, timeoutMs?: number): Promise<boolean>;
export declare function redisAnswers(url: string, timeoutMs?: number): Promise<boolean>;
export declare function ensureDatabase(databaseUrl: string): Promise<boolean>;
export declare function ensureServices(options?: {
  databaseUrl?: string;
  redisUrl?: string;
  log?: (message: string) => void;
  createDatabase?: boolean;
  redis?: boolean;
}): Promise<{ databaseUrl: string; redisUrl: string; started: string[]; databaseCreated: boolean }>;
