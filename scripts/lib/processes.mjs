/* global AbortSignal */
// Child-process supervision for `npm start` and `npm run demo`: output prefixed with the child's
// name, SIGINT/SIGTERM forwarded, every child stopped (SIGTERM, then SIGKILL after a grace period)
// when one dies or when we are asked to stop. Only node: imports (the demo loads this before
// node_modules may exist).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export class Supervisor {
  /** @param {{ graceMs?: number, log?: (msg: string) => void }} [options] */
  constructor({ graceMs = 10_000, log = (m) => console.log(m) } = {}) {
    this.graceMs = graceMs;
    this.log = log;
    /** @type {Map<string, import('node:child_process').ChildProcess>} */
    this.children = new Map();
    this.stopping = false;
    /** @type {(value: { name: string, code: number | null, signal: string | null }) => void} */
    let resolveFirstExit = () => {};
    /** Resolves when the first child exits on its own (not because we stopped it). */
    this.firstExit = new Promise((resolve) => {
      resolveFirstExit = resolve;
    });
    this.resolveFirstExit = resolveFirstExit;
    this.width = 6;
  }

  /**
   * Starts a child; its stdout/stderr lines are printed as `name | line`.
   * @param {string} name
   * @param {string} command
   * @param {string[]} args
   * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, critical?: boolean }} [options]
   *   critical (default true): its exit ends the supervision (firstExit resolves)
   */
  start(name, command, args, { env = process.env, cwd, critical = true } = {}) {
    this.width = Math.max(this.width, name.length);
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.set(name, child);
    const prefix = () => `${name.padEnd(this.width)} | `;
    for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${prefix()}${line}\n`));
    }
    /** @type {Promise<{ code: number | null, signal: string | null }>} */
    const exited = new Promise((resolve) => {
      child.on('error', (error) => {
        this.log(`${prefix()}could not start: ${error.message}`);
      });
      child.on('close', (code, signal) => {
        this.children.delete(name);
        resolve({ code, signal });
        if (!this.stopping && critical) this.resolveFirstExit({ name, code, signal });
      });
    });
    return { child, exited };
  }

  /** Sends SIGTERM to every child, SIGKILL to those still running after the grace period. */
  async stopAll() {
    this.stopping = true;
    const running = [...this.children.entries()];
    await Promise.all(
      running.map(
        ([, child]) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
            const timer = setTimeout(() => child.kill('SIGKILL'), this.graceMs);
            child.once('close', () => {
              clearTimeout(timer);
              resolve(undefined);
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }

  /**
   * Stops every child on SIGINT/SIGTERM and then calls `onStopped(signal)`.
   * @param {(signal: string) => void} onStopped
   */
  handleSignals(onStopped) {
    let received = false;
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.on(signal, () => {
        if (received) {
          // second Ctrl-C: do not wait for the grace period
          for (const child of this.children.values()) child.kill('SIGKILL');
          return;
        }
        received = true;
        this.log(`\nReceived ${signal}: stopping ${[...this.children.keys()].join(', ') || 'nothing'}…`);
        void this.stopAll().then(() => onStopped(signal));
      });
    }
  }
}

/** Is the TCP port free on the loopback interface (and all interfaces)? */
export function portIsFree(port, host = '0.0.0.0') {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * Polls `url` until it answers 200 or `timeoutMs` passes; gives up early when `abort` resolves.
 * @returns {Promise<boolean>}
 */
export async function waitForHttpOk(url, { timeoutMs = 60_000, abort } = {}) {
  let aborted = false;
  abort?.then(() => {
    aborted = true;
  });
  const started = Date.now();
  while (!aborted && Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/** The built entry points of the apps; which are missing. */
export function missingBuilds(root, apps) {
  const needed = [...apps.map((a) => join(root, 'apps', a, 'dist', 'main.js')), join(root, 'libs', 'core', 'dist', 'index.js')];
  if (apps.includes('api')) needed.push(join(root, 'apps', 'console', 'dist', 'index.html'));
  return needed.filter((f) => !existsSync(f));
}

/** `nx run-many -t build` (Nx cache makes an up-to-date build cheap). */
export function buildAll(root) {
  const r = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CHECKPOINT_DISABLE: '1' },
  });
  return r.status === 0;
}

/**
 * Node flags each app runs with, wherever it is started (npm start, the demo, the benchmarks).
 * The worker's old-space cap keeps its RSS bounded: without it V8 lets garbage from large
 * rollouts pile up to ~500 MiB before collecting (measured at 10,000 clusters); its live set is
 * far smaller. Its larger young generation (semi-spaces of 32 MiB instead of 16) lets the
 * short-lived garbage of a rollout target (responses, rendered policies) die young: about a
 * sixth less worker CPU for 1,000 targets (bench:rollout), for ~30 MiB more RSS.
 */
export const WORKER_MAX_OLD_SPACE_MB = 320;
export const WORKER_MAX_SEMI_SPACE_MB = 32;
export function nodeArgsFor(app) {
  return ['--enable-source-maps', ...(app === 'worker' ? [`--max-old-space-size=${WORKER_MAX_OLD_SPACE_MB}`, `--max-semi-space-size=${WORKER_MAX_SEMI_SPACE_MB}`] : [])];
}
