import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, ExitCode } from './errors.js';

export interface Credentials {
  server: string;
  token: string;
}

/** `$FLEETGATE_CONFIG`, else `$XDG_CONFIG_HOME/fleetgate/config.json`, else `~/.config/fleetgate/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLEETGATE_CONFIG) return env.FLEETGATE_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'fleetgate', 'config.json');
}

/** Written with mode 0600 (the token is a secret), its directory 0700. */
export function saveCredentials(c: Credentials, env: NodeJS.ProcessEnv = process.env): string {
  const path = configPath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify({ server: c.server, token: c.token }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** Flags win over FLEETGATE_SERVER / FLEETGATE_TOKEN, which win over the config file. */
export function resolveCredentials(flags: { server?: string | undefined; token?: string | undefined }, env: NodeJS.ProcessEnv = process.env): Credentials {
  let file: Partial<Credentials> = {};
  try {
    file = JSON.parse(readFileSync(configPath(env), 'utf8')) as Partial<Credentials>;
  } catch {
    file = {};
  }
  const server = flags.server ?? env.FLEETGATE_SERVER ?? file.server;
  const token = flags.token ?? env.FLEETGATE_TOKEN ?? file.token;
  if (!server || !token) {
    throw new CliError('not logged in: run `fleetgate login --server URL --token TOKEN`, or set FLEETGATE_SERVER and FLEETGATE_TOKEN', ExitCode.Auth);
  }
  return { server: server.replace(/\/+$/, ''), token };
}
