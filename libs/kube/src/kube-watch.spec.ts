import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { KubeApiError } from './kube-api.error.js';
import type { KubeClient, ListPage } from './kube-client.js';
import { KubeWatch, LineDecoder, type WatchState, type WatchedObject } from './kube-watch.js';
import type { KubeStream } from './stream-pool.js';

describe('LineDecoder', () => {
  it('splits lines across chunks and skips blank ones', () => {
    const d = new LineDecoder(100);
    expect(d.push(Buffer.from('{"a":1}\n{"b"'))).toEqual(['{"a":1}']);
    expect(d.push(Buffer.from(':2}\n\n'))).toEqual(['{"b":2}']);
    expect(d.push(Buffer.from('{"c":3}'))).toEqual([]);
    expect(d.push(Buffer.from('\n'))).toEqual(['{"c":3}']);
  });

  it('never holds more than its bound of one line', () => {
    const d = new LineDecoder(10);
    d.push(Buffer.from('12345'));
    expect(() => d.push(Buffer.from('678901'))).toThrow(/exceeds 10 bytes/);
    // and starts clean afterwards
    expect(d.push(Buffer.from('ok\n'))).toEqual(['ok']);
  });
});

const obj = (name: string, rv: string): WatchedObject => ({ metadata: { name, namespace: 'a', resourceVersion: rv } });
const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;

/** A client whose lists and watch responses are scripted; records every watch query. */
function fakeClient(script: { lists: Array<ListPage<WatchedObject>>; watches: Array<{ status?: number; body: string[] } | Error> }) {
  const queries: Array<Record<string, string | undefined>> = [];
  const client = {
    target: 'fake:443',
    listPage: async () => {
      const next = script.lists.shift();
      if (!next) throw new Error('no more lists scripted');
      return next;
    },
    stream: async (_path: string, query: Record<string, string | undefined>, signal: AbortSignal): Promise<KubeStream> => {
      queries.push(query);
      const next = script.watches.shift();
      // nothing more scripted: hangs until the test stops the watch
      if (!next) return new Promise<KubeStream>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      if (next instanceof Error) throw next;
      return { status: next.status ?? 200, headers: {}, body: Readable.from(next.body.map((s) => Buffer.from(s))), close: () => undefined, protocol: 'h2' };
    },
  } as unknown as KubeClient;
  return { client, queries };
}

async function run(script: Parameters<typeof fakeClient>[0], until: (log: string[]) => boolean) {
  const { client, queries } = fakeClient(script);
  const log: string[] = [];
  const sleeps: number[] = [];
  const states: WatchState[] = [];
  const w = new KubeWatch<WatchedObject>({
    client: () => client,
    path: '/apis/networking.k8s.io/v1/networkpolicies',
    labelSelector: 'app.kubernetes.io/managed-by=fleetgate',
    onList: (items, rv, kind) => void log.push(`${kind} ${rv} [${items.map((i) => i.metadata?.name).join(',')}]`),
    onEvent: (type, o) => void log.push(`${type} ${o.metadata?.name}@${o.metadata?.resourceVersion}`),
    onState: (s) => void states.push(s),
    backoff: { random: () => 0.5 },
    sleep: async (ms) => void sleeps.push(ms),
  }).start();
  for (let i = 0; i < 200 && !until(log); i++) await new Promise((r) => setTimeout(r, 1));
  await w.stop();
  return { log, queries, sleeps, states, counters: w.counters, rv: w.resourceVersion };
}

describe('KubeWatch', () => {
  it('lists, watches from the list, resumes from the last event or bookmark', async () => {
    const r = await run(
      {
        lists: [{ items: [obj('p1', '5')], resourceVersion: '10', continue: undefined }],
        watches: [{ body: [line('MODIFIED', obj('p1', '11')), line('BOOKMARK', { metadata: { resourceVersion: '15' } })] }, { body: [line('DELETED', obj('p1', '16'))] }],
      },
      (log) => log.length >= 3,
    );
    expect(r.log).toEqual(['initial 10 [p1]', 'MODIFIED p1@11', 'DELETED p1@16']);
    expect(r.queries.map((q) => q.resourceVersion)).toEqual(['10', '15', '16']);
    expect(r.queries[0]).toMatchObject({ watch: '1', allowWatchBookmarks: 'true', labelSelector: 'app.kubernetes.io/managed-by=fleetgate' });
    expect(r.counters).toMatchObject({ lists: 1, events: 2, bookmarks: 1, expired: 0 });
    expect(r.states).toContain('connected');
  });

  it('relists on 410 Gone (as an ERROR event or as the answer) and hands over the whole new set', async () => {
    const r = await run(
      {
        lists: [
          { items: [obj('p1', '5')], resourceVersion: '10', continue: undefined },
          { items: [obj('p1', '30'), obj('p2', '31')], resourceVersion: '40', continue: undefined },
          { items: [], resourceVersion: '50', continue: undefined },
        ],
        watches: [{ body: [line('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 10 (20)' })] }, { status: 410, body: [] }],
      },
      (log) => log.length >= 3,
    );
    expect(r.log).toEqual(['initial 10 [p1]', 'relist 40 [p1,p2]', 'relist 50 []']);
    expect(r.queries.map((q) => q.resourceVersion)).toEqual(['10', '40', '50']);
    expect(r.counters.expired).toBe(2);
    expect(r.sleeps).toEqual([]); // 410 is not a failure: no back-off
  });

  it('backs off exponentially on errors, honours Retry-After, and keeps its resourceVersion', async () => {
    const throttled = new KubeApiError({ kind: 'throttled', status: 429, message: 'slow down', retryAfterMs: 3000, retryable: true });
    const reset = new KubeApiError({ kind: 'connection-reset', message: 'reset' });
    const r = await run(
      {
        lists: [{ items: [], resourceVersion: '10', continue: undefined }],
        watches: [reset, reset, throttled, { body: [line('ADDED', obj('p9', '12'))] }],
      },
      (log) => log.length >= 2,
    );
    expect(r.sleeps).toEqual([375, 750, 3000]); // equal jitter at random 0.5: 500/2 + 250/2 ..., then Retry-After
    expect(r.queries.map((q) => q.resourceVersion)).toEqual(['10', '10', '10', '10', '12']);
    expect(r.log).toEqual(['initial 10 []', 'ADDED p9@12']);
    expect(r.states).toContain('reconnecting');
  });
});
