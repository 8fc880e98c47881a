import { KubeApiError, httpError } from './kube-api.error.js';
import type { KubeClient } from './kube-client.js';
import { backoffDelay } from './retry.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
/** `connected`: a watch stream is open; `reconnecting`: listing, waiting out a back-off or opening the stream again. */
export type WatchState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

/** The part of an object a watch reads itself. */
export interface WatchedObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface KubeWatchOptions<T extends WatchedObject> {
  /** The client to use; asked again on every (re)connect, so rotated credentials are picked up. */
  client: () => KubeClient | Promise<KubeClient>;
  /** Collection path, e.g. `/apis/networking.k8s.io/v1/networkpolicies` (all namespaces). */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Length of one watch request, asked of the server; spread over [t, 2t) as client-go does. Default 300. */
  timeoutSeconds?: number;
  /** Largest single event accepted; a larger one ends the stream and the watch relists. Default 4 MiB. */
  maxEventBytes?: number;
  /** Items per list page. Default 500. */
  pageSize?: number;
  /** Back-off after failures: equal-jitter exponential from `baseMs` up to `maxMs` (defaults 500 / 30 000). */
  backoff?: { baseMs?: number; maxMs?: number; random?: () => number };
  /**
   * The complete current set, after the first list and after every relist (410 Gone, an event
   * too large): the receiver replaces what it knew with it (and compares, to miss nothing).
   */
  onList: (items: T[], resourceVersion: string, kind: 'initial' | 'relist') => void | Promise<void>;
  onEvent: (type: WatchEventType, object: T) => void | Promise<void>;
  onState?: (state: WatchState, error?: KubeApiError) => void;
  /** Injected for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface WatchCounters {
  lists: number;
  watches: number;
  events: number;
  bookmarks: number;
  /** 410 Gone answers (the resourceVersion left the server's window: relisted) */
  expired: number;
  errors: number;
}

/** The resourceVersion left the server's event window (HTTP 410, or an ERROR event with code 410). */
class Expired extends Error {}

/** One watch event larger than the watch accepts (`maxEventBytes`). */
export class WatchEventTooLarge extends KubeApiError {
  constructor(maxBytes: number) {
    super({ kind: 'unknown', message: `a watch event exceeds ${maxBytes} bytes` });
  }
}

/**
 * Splits a watch response into lines without ever holding more than `maxBytes` of one line:
 * a longer line throws (the caller relists instead of buffering without bound).
 */
export class LineDecoder {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, i);
      this.check(piece.length);
      const line = this.parts.length === 0 ? piece.toString('utf8') : Buffer.concat([...this.parts, piece]).toString('utf8');
      this.parts = [];
      this.size = 0;
      if (line.trim()) lines.push(line);
      start = i + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.check(rest.length);
      this.parts.push(rest);
      this.size += rest.length;
    }
    return lines;
  }

  private check(n: number): void {
    if (this.size + n > this.maxBytes) {
      this.parts = [];
      this.size = 0;
      throw new WatchEventTooLarge(this.maxBytes);
    }
  }
}

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/**
 * List-then-watch of one collection on one API server, as client-go's reflector does it: list
 * (paged) and hand over the whole set, watch from the list's resourceVersion with bookmarks,
 * resume from the last resourceVersion seen (event or bookmark) when a stream ends or breaks,
 * relist on 410 Gone, back off with jitter on errors (the server's Retry-After when it sends
 * one), reconnect at once on `restart()` (new credentials). Memory per watch is the pending line
 * (bounded by `maxEventBytes`) and whatever the handlers keep; events are handed over one at a
 * time and the stream is not read while a handler's promise is pending.
 */
export class KubeWatch<T extends WatchedObject> {
  readonly counters: WatchCounters = { lists: 0, watches: 0, events: 0, bookmarks: 0, expired: 0, errors: 0 };
  private rv: string | undefined;
  private listed = false;
  private current: WatchState = 'connecting';
  private stopped = false;
  private attempt: AbortController | undefined;
  private running: Promise<void> | undefined;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(private readonly opts: KubeWatchOptions<T>) {
    this.sleep = opts.sleep ?? abortableSleep;
  }

  get state(): WatchState {
    return this.current;
  }

  /** The last resourceVersion seen (list, event or bookmark). */
  get resourceVersion(): string | undefined {
    return this.rv;
  }

  start(): this {
    this.running ??= this.loop();
    return this;
  }

  /** Drops the current stream (or back-off) and connects again right away, resuming where it was. */
  restart(): void {
    this.attempt?.abort();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.attempt?.abort();
    await this.running;
    this.setState('stopped');
  }

  private setState(s: WatchState, error?: KubeApiError): void {
    if (s === this.current && !error) return;
    this.current = s;
    this.opts.onState?.(s, error);
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const ctl = new AbortController();
      this.attempt = ctl;
      try {
        const client = await this.opts.client();
        if (this.rv === undefined) await this.list(client, ctl.signal);
        if (ctl.signal.aborted) continue;
        const got = await this.watch(client, ctl.signal);
        // a stream that ends by itself (the server's timeout) is normal; one that ends at once, empty, is not
        failures = got ? 0 : failures + 1;
        if (failures > 0 && !ctl.signal.aborted) {
          this.setState('reconnecting');
          await this.sleep(this.delay(failures, undefined), ctl.signal);
        }
      } catch (err) {
        if (this.stopped) break;
        if (err instanceof Expired) {
          this.counters.expired++;
          this.rv = undefined;
          this.setState('reconnecting');
          continue;
        }
        if (ctl.signal.aborted) continue;
        const error = err instanceof KubeApiError ? err : new KubeApiError({ kind: 'unknown', message: (err as Error)?.message ?? String(err), cause: err });
        this.counters.errors++;
        failures++;
        this.setState('reconnecting', error);
        await this.sleep(this.delay(failures, error), ctl.signal);
      }
    }
  }

  private delay(failures: number, error: KubeApiError | undefined): number {
    const b = this.opts.backoff ?? {};
    return backoffDelay(failures, error, { baseMs: b.baseMs ?? 500, maxMs: b.maxMs ?? 30_000, random: b.random });
  }

  private async list(client: KubeClient, signal: AbortSignal): Promise<void> {
    if (this.current !== 'connecting') this.setState('reconnecting');
    for (let tries = 0; ; tries++) {
      const items: T[] = [];
      let rv: string | undefined;
      let cont: string | undefined;
      try {
        do {
          const page = await client.listPage<T>(this.opts.path, { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector, limit: this.opts.pageSize ?? 500, continue: cont });
          rv ??= page.resourceVersion;
          items.push(...page.items);
          cont = page.continue;
          if (signal.aborted) return;
        } while (cont);
      } catch (err) {
        // a continue token that expired mid-list: list again from the start
        if (err instanceof KubeApiError && err.status === 410 && cont !== undefined && tries < 3) continue;
        throw err;
      }
      this.counters.lists++;
      if (!rv) throw new KubeApiError({ kind: 'unknown', message: `list of ${this.opts.path} carried no resourceVersion` });
      await this.opts.onList(items, rv, this.listed ? 'relist' : 'initial');
      this.listed = true;
      this.rv = rv;
      return;
    }
  }

  /** One watch request; true when it delivered anything or lasted (not a failure). */
  private async watch(client: KubeClient, signal: AbortSignal): Promise<boolean> {
    const base = this.opts.timeoutSeconds ?? 300;
    const timeoutSeconds = Math.round(base * (1 + Math.random()));
    const query: Record<string, string | undefined> = {
      watch: '1',
      allowWatchBookmarks: 'true',
      resourceVersion: this.rv,
      timeoutSeconds: String(timeoutSeconds),
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
    };
    const stream = await client.stream(this.opts.path, query, signal);
    const started = Date.now();
    // a watch that outlives its own timeout by half a minute is a dead connection
    const deadline = setTimeout(() => stream.close(), (timeoutSeconds + 30) * 1000);
    const onAbort = () => stream.close();
    signal.addEventListener('abort', onAbort);
    let got = false;
    try {
      if (stream.status === 410) throw new Expired();
      if (stream.status < 200 || stream.status > 299) {
        const text = await readBounded(stream.body, 64 * 1024);
        throw httpError(stream.status, stream.status === 401 ? undefined : text, stream.headers, client.target);
      }
      this.counters.watches++;
      this.setState('connected');
      const decoder = new LineDecoder(this.opts.maxEventBytes ?? 4 * 1024 * 1024);
      try {
        for await (const chunk of stream.body) {
          for (const line of decoder.push(chunk as Buffer)) {
            got = true;
            await this.handle(line, client.target);
          }
        }
      } catch (err) {
        if (err instanceof Expired || signal.aborted) throw err;
        if (err instanceof WatchEventTooLarge) {
          this.rv = undefined;
          throw err;
        }
        throw new KubeApiError({ kind: 'connection-reset', code: (err as { code?: string }).code, message: `watch stream from ${client.target} broke: ${(err as Error).message}`, cause: err });
      }
    } finally {
      clearTimeout(deadline);
      signal.removeEventListener('abort', onAbort);
      stream.close();
    }
    return got || Date.now() - started > 1000;
  }

  private async handle(line: string, target: string): Promise<void> {
    let ev: { type?: string; object?: T & { code?: number; reason?: string; message?: string } };
    try {
      ev = JSON.parse(line) as typeof ev;
    } catch {
      throw new KubeApiError({ kind: 'unknown', message: `${target} sent a watch event that is not JSON` });
    }
    const obj = ev.object;
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED':
        if (!obj) return;
        this.counters.events++;
        await this.opts.onEvent(ev.type, obj);
        if (obj.metadata?.resourceVersion) this.rv = obj.metadata.resourceVersion;
        return;
      case 'BOOKMARK':
        this.counters.bookmarks++;
        if (obj?.metadata?.resourceVersion) this.rv = obj.metadata.resourceVersion;
        return;
      case 'ERROR':
        if (obj?.code === 410) throw new Expired();
        throw httpError(obj?.code ?? 500, JSON.stringify(obj ?? {}), {}, target);
      default:
        return;
    }
  }
}

async function readBounded(body: AsyncIterable<unknown>, max: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of body) {
    const b = c as Buffer;
    size += b.length;
    if (size > max) break;
    parts.push(b);
  }
  return Buffer.concat(parts).toString('utf8');
}
