import { afterAll, describe, expect, it } from 'vitest';
import { KubeClientCache, KubeWatch, type WatchedObject } from '@fleetgate/kube';
import { type Simulator, startSimulator } from '@fleetgate/kube-sim';

// libs/kube's watch client against the simulator over real HTTPS, on HTTP/1.1 and on HTTP/2.
const sims: Simulator[] = [];
const caches: KubeClientCache[] = [];
afterAll(async () => {
  for (const c of caches) c.closeAll();
  await Promise.all(sims.map((s) => s.close()));
});

async function until<T>(what: string, fn: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const SELECTOR = 'app.kubernetes.io/managed-by=fleetgate';
const policy = (name: string, port: number, labels: Record<string, string> = { 'app.kubernetes.io/managed-by': 'fleetgate' }) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'a', labels },
  spec: { podSelector: {}, ingress: [{ ports: [{ port }] }] },
});

describe.each([
  ['HTTP/1.1', false],
  ['HTTP/2', true],
])('KubeWatch over %s', (_name, http2) => {
  it('lists, then delivers every change matching its selector (leaving it is a DELETED) and resumes after a dropped connection', async () => {
    const sim = await startSimulator({ http2, clusters: [{ name: 'w', namespaces: [{ name: 'a' }] }] });
    sims.push(sim);
    const cache = new KubeClientCache();
    caches.push(cache);
    const c = sim.cluster('w');
    c.applyNetworkPolicy('a', 'p1', policy('p1', 80), { manager: 'fleetgate', force: true });
    const log: string[] = [];
    const w = new KubeWatch<WatchedObject>({
      client: () => cache.get('w', '1') ?? cache.open('w', '1', sim.connection('w')),
      path: '/apis/networking.k8s.io/v1/networkpolicies',
      labelSelector: SELECTOR,
      onList: (items, _rv, kind) => void log.push(`${kind} ${items.map((i) => i.metadata?.name).join(',')}`),
      onEvent: (type, o) => void log.push(`${type} ${o.metadata?.name}`),
    }).start();
    await until('connected', () => (w.state === 'connected' ? true : undefined));
    c.applyNetworkPolicy('a', 'p2', policy('p2', 81), { manager: 'fleetgate', force: true });
    c.externalEdit.modify('a', 'p1', { spec: { ingress: [{ ports: [{ port: 90 }] }] } }, 'kubectl-edit');
    c.applyNetworkPolicy('a', 'other', policy('other', 82, {}), { manager: 'someone', force: true });
    c.externalEdit.modify('a', 'p2', { metadata: { labels: { 'app.kubernetes.io/managed-by': null } } }, 'kubectl-edit');
    c.externalEdit.delete('a', 'p1');
    await until('five entries', () => (log.length >= 5 ? true : undefined));
    expect(log).toEqual(['initial p1', 'ADDED p2', 'MODIFIED p1', 'DELETED p2', 'DELETED p1']);
    expect(cache.streams.stats).toMatchObject(http2 ? { sessions: 1, streams: 1, h1Sockets: 0 } : { sessions: 0, h1Sockets: 1 });

    // connections dropped: the watch resumes from its resourceVersion (no relist) and misses nothing
    sim.dropConnections();
    c.applyNetworkPolicy('a', 'p3', policy('p3', 83), { manager: 'fleetgate', force: true });
    await until('p3 after the reconnect', () => (log.includes('ADDED p3') ? true : undefined));
    expect(w.counters).toMatchObject({ lists: 1, expired: 0 });

    // dropped again, changes, and the event window forgets them: 410 Gone, a relist with the whole set
    sim.dropConnections();
    c.applyNetworkPolicy('a', 'p4', policy('p4', 84), { manager: 'fleetgate', force: true });
    c.compactEvents();
    await until('the relist', () => (log.some((l) => l.startsWith('relist')) ? true : undefined));
    expect(log.at(-1)).toBe('relist p3,p4');
    expect(w.counters).toMatchObject({ lists: 2, expired: 1 });
    await w.stop();
    expect(w.state).toBe('stopped');
  });
});

describe('many watches on one HTTP/2 connection', () => {
  it('multiplexes the watches of clusters behind one endpoint', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `m${i}`);
    const sim = await startSimulator({ http2: true, clusters: names.map((name) => ({ name, namespaces: [{ name: 'a' }] })) });
    sims.push(sim);
    const cache = new KubeClientCache();
    caches.push(cache);
    const seen = new Set<string>();
    const watches = names.map((n) =>
      new KubeWatch<WatchedObject>({
        client: () => cache.get(n, '1') ?? cache.open(n, '1', sim.connection(n)),
        path: '/apis/networking.k8s.io/v1/networkpolicies',
        labelSelector: SELECTOR,
        onList: () => undefined,
        onEvent: () => void seen.add(n),
      }).start(),
    );
    await until('all connected', () => (watches.every((w) => w.state === 'connected') ? true : undefined));
    for (const n of names) sim.cluster(n).applyNetworkPolicy('a', 'p', policy('p', 80), { manager: 'fleetgate', force: true });
    await until('an event on every cluster', () => (seen.size === names.length ? true : undefined));
    expect(cache.streams.stats).toEqual({ sessions: 1, streams: 20, h1Sockets: 0 });
    const before = sim.tlsConnections;
    await Promise.all(watches.map((w) => w.stop()));
    expect(sim.tlsConnections).toBe(before);
  });
});
