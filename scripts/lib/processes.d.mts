import type { ChildProcess } from 'node:child_process';

export interface ChildExit {
  name: string;
  code: number | null;
  signal: string | null;
}
export declare class Supervisor {
  constructor(options?: { graceMs?: number; log?: (msg: string) => void });
  readonly firstExit: Promise<ChildExit>;
  start(
    name: string,
    command: string,
    args: string[],
    options?: { env?: NodeJS.ProcessEnv; cwd?: string; critical?: boolean },
  ): { child: ChildProcess; exited: Promise<{ code: number | null; signal: string | null }> };
  stopAll(): Promise<void>;
  handleSignals(onStopped: (signal: string) => void): void;
}
export declare function portIsFree(port: number, host?: string): Promise<boolean>;
export declare function waitForHttpOk(url: string, options?: { timeoutMs?: number; abort?: Promise<unknown> }): Promise<boolean>;
export declare function missingBuilds(root: string, apps: string[]): string[];
export declare function buildAll(root: string): boolean;
export declare const WORKER_MAX_OLD_SPACE_MB: number;
export declare function nodeArgsFor(app: 'api' | 'worker' | string): string[];
