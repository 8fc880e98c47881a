import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import { join } from 'node:path';
import { SimCluster, type ClusterSnapshot, type ClusterSpec } from './cluster.js';
import type { Faults } from './faults.js';
import { renderKubeconfig } from './kubeconfig.js';
import type { KubeObject } from './managed-fields.js';
import { SimHttp } from './server.js';
import { StatusError } from './status.js';
import { generateTls, issueClientCert, type SimTls } from './tls.js';

export interface SimulatorOptions {
  /** Port of the shared listener; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  clusters?: ClusterSpec[];
  /** Reuse a CA/serving certificate (e.g. to keep kubeconfigs valid across restarts). */
  tls?: SimTls;
  adminToken?: string;
  snapshot?: SimSnapshot;
  /** Kubernetes version of clusters that do not name one ("1.26", "1.32", …; default 1.32). */
  kubeVersion?: string;
  /**
   * Also serve HTTP/2 (ALPN `h2`, as kube-apiserver does) beside HTTP/1.1: clients that offer h2
   * (fleetgate's watches, kubectl) multiplex their requests over one connection. Off by default.
   */
  http2?: boolean;
}

export interface SimSnapshot {
  version: 1;
  clusters: ClusterSnapshot[];
  /** The CA and serving certificate, so kubeconfigs written before stay valid after a reload. */
  tls?: SimTls;
}

/** Connection facts for one simulated cluster, shaped like libs/kube's ClusterConnection. */
export interface SimConnection {
  server: string;
  caData: string;
  token: string;
}

export interface Simulator {
  /** `https://127.0.0.1:<port>` — the shared listener. */
  readonly url: string;
  readonly port: number;
  readonly caPem: string;
  readonly adminToken: string;
  addCluster(spec: ClusterSpec): Promise<SimCluster>;
  removeCluster(name: string): Promise<void>;
  cluster(name: string): SimCluster;
  clusters(): SimCluster[];
  serverUrl(name: string): string;
  connection(name: string): SimConnection;
  /** Issues a client certificate for the cluster (revoked by rotateToken) and returns a connection that uses it instead of a token. */
  clientCertConnection(name: string): Promise<{ server: string; caData: string; clientCertData: string; clientKeyData: string }>;
  kubeconfig(name: string): string;
  allKubeconfig(): string;
  writeKubeconfigs(dir: string): Promise<{ dir: string; files: Record<string, string>; all: string }>;
  setFaults(name: string, faults: Faults): void;
  snapshot(): SimSnapshot;
  saveSnapshot(path: string): Promise<void>;
  /** Total HTTP requests served. */
  readonly requests: number;
  /** TLS connections accepted: how many handshakes clients paid. */
  readonly tlsConnections: number;
  /** Drops every open connection (clients see their requests and watches break), as a restarted API server does. */
  dropConnections(): void;
  close(): Promise<void>;
}

function listen(server: TlsServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function loadSnapshot(path: string): Promise<SimSnapshot> {
  const snap = JSON.parse(await readFile(path, 'utf8')) as SimSnapshot;
  if (snap.version !== 1 || !Array.isArray(snap.clusters)) throw new Error(`${path} is not a kube-sim snapshot`);
  return snap;
}

/** Starts a simulated fleet on one HTTPS listener (plus one per `ownPort` cluster). */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  const tls = opts.tls ?? opts.snapshot?.tls ?? (await generateTls());
  const adminToken = opts.adminToken ?? randomBytes(18).toString('base64url');
  const clusters = new Map<string, SimCluster>();
  const own = new Map<string, { server: TlsServer; port: number; open: boolean }>();
  let sharedPort = 0;

  const http = new SimHttp({
    cluster: (name) => clusters.get(name),
    adminToken,
    address: () => `${host}:${sharedPort}`,
    admin: (method, path, query, body) => admin(method, path, query, body),
  });

  const h2 = { http2: opts.http2 ?? false };
  const shared = http.createServer(tls, undefined, h2);
  sharedPort = await listen(shared, opts.port ?? 0, host);
  const url = `https://${host}:${sharedPort}`;

  async function syncOwnPort(c: SimCluster): Promise<void> {
    const entry = own.get(c.name);
    if (!entry) return;
    if (c.faults.down && entry.open) {
      entry.open = false;
      await new Promise<void>((r) => entry.server.close(() => r()));
    } else if (!c.faults.down && !entry.open) {
      entry.server = http.createServer(tls, c.name, h2);
      await listen(entry.server, entry.port, host);
      entry.open = true;
    }
  }

  async function attach(c: SimCluster): Promise<SimCluster> {
    if (clusters.has(c.name)) throw new Error(`cluster "${c.name}" already exists`);
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(c.name)) throw new Error(`cluster name "${c.name}" must be a lowercase DNS name`);
    clusters.set(c.name, c);
    if (c.ownPort) {
      const server = http.createServer(tls, c.name, h2);
      const port = await listen(server, 0, host);
      own.set(c.name, { server, port, open: true });
      c.onFaultsChanged = (cl) => {
        // Closing a listener stops new connections; drop the cluster's live ones too.
        if (cl.faults.down) for (const s of http.sockets) if ((s as { localPort?: number }).localPort === port) s.destroy();
        void syncOwnPort(cl);
      };
      if (c.faults.down) await syncOwnPort(c);
    }
    return c;
  }

  function mustCluster(name: string): SimCluster {
    const c = clusters.get(name);
    if (!c) throw new Error(`no simulated cluster "${name}"`);
    return c;
  }

  function serverUrl(name: string): string {
    const c = mustCluster(name);
    const o = own.get(c.name);
    return o ? `https://${host}:${o.port}` : `${url}/clusters/${encodeURIComponent(name)}`;
  }

  const entry = (name: string) => ({ name, server: serverUrl(name), caPem: tls.caPem, token: mustCluster(name).token });

  function snapshot(): SimSnapshot {
    return { version: 1, clusters: [...clusters.values()].map((c) => c.toSnapshot()), tls };
  }

  async function admin(method: string, path: string, _query: URLSearchParams, body: unknown): Promise<{ status: number; body: unknown }> {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const ok = (b: unknown) => ({ status: 200, body: b });
    if (parts[0] === 'stats' && method === 'GET') {
      const mem = process.memoryUsage();
      return ok({ clusters: clusters.size, requests: http.requests, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, cpu: process.cpuUsage() });
    }
    if (parts[0] === 'snapshot' && method === 'GET') return ok(snapshot());
    if (parts[0] !== 'clusters') throw new StatusError(404, 'NotFound', 'unknown admin path', {});
    if (parts.length === 1) {
      if (method === 'GET') return ok(clusters.size > 5000 ? { count: clusters.size } : { clusters: [...clusters.values()].map((c) => ({ name: c.name, server: serverUrl(c.name), labels: c.labels, meta: c.meta, faults: c.faults, policies: c.policyCount })) });
      if (method === 'POST') {
        const c = await attach(new SimCluster(withVersion(body as ClusterSpec)));
        return { status: 201, body: { name: c.name, server: serverUrl(c.name) } };
      }
    }
    const name = parts[1] ?? '';
    const c = clusters.get(name);
    if (!c) throw new StatusError(404, 'NotFound', `no simulated cluster "${name}"`, {});
    const action = parts[2];
    if (action === undefined && method === 'GET') return ok({ name, server: serverUrl(name), labels: c.labels, meta: c.meta, faults: c.faults, resourceVersion: c.resourceVersion });
    if (action === 'kubeconfig' && method === 'GET') return ok({ kubeconfig: renderKubeconfig([entry(name)]) });
    if (action === 'faults') {
      if (method === 'GET') return ok(c.faults);
      if (method === 'PUT') {
        c.faults = (body ?? {}) as Faults;
        await syncOwnPort(c);
        return ok(c.faults);
      }
      if (method === 'PATCH') {
        c.injectFaults((body ?? {}) as Faults);
        await syncOwnPort(c);
        return ok(c.faults);
      }
      if (method === 'DELETE') {
        c.clearFaults();
        await syncOwnPort(c);
        return ok(c.faults);
      }
    }
    if (action === 'compact' && method === 'POST') {
      // Test hook: forget the event window, so watches and continues from older resourceVersions get 410 Expired.
      c.compactEvents();
      return ok({ resourceVersion: c.resourceVersion });
    }
    if (action === 'watch') {
      if (method === 'PATCH' || method === 'PUT') {
        const b = (body ?? {}) as { bookmarkIntervalMs?: number; window?: number };
        if (typeof b.bookmarkIntervalMs === 'number' && b.bookmarkIntervalMs > 0) c.watchBookmarkIntervalMs = b.bookmarkIntervalMs;
        if (typeof b.window === 'number' && b.window > 0) c.watchWindow = b.window;
      }
      if (method === 'GET' || method === 'PATCH' || method === 'PUT') return ok({ bookmarkIntervalMs: c.watchBookmarkIntervalMs, window: c.watchWindow, watches: c.watchCount, resourceVersion: c.resourceVersion });
    }
    if (action === 'rotate-token' && method === 'POST') {
      c.rotateToken((body as { token?: string } | undefined)?.token);
      return ok({ kubeconfig: renderKubeconfig([entry(name)]) });
    }
    if (action === 'edit' && method === 'POST') {
      const b = (body ?? {}) as { action?: string; namespace?: string; name?: string; patch?: Record<string, unknown>; policy?: KubeObject; manager?: string; force?: boolean };
      switch (b.action) {
        case 'modify':
          return ok(c.externalEdit.modify(b.namespace ?? '', b.name ?? '', b.patch ?? {}, b.manager));
        case 'delete':
          c.externalEdit.delete(b.namespace ?? '', b.name ?? '');
          return ok({ deleted: `${b.namespace}/${b.name}` });
        case 'add':
          return { status: 201, body: c.externalEdit.add(b.policy as KubeObject, b.manager) };
        case 'apply':
          return ok(c.externalEdit.apply(b.policy as KubeObject, b.manager, b.force));
        default:
          throw new StatusError(400, 'BadRequest', 'edit action must be modify, delete, add or apply', {});
      }
    }
    throw new StatusError(404, 'NotFound', 'unknown admin path', {});
  }

  if (opts.snapshot) for (const cs of opts.snapshot.clusters) await attach(SimCluster.fromSnapshot(cs));
  const withVersion = (spec: ClusterSpec): ClusterSpec => (opts.kubeVersion && !spec.gitVersion && !spec.kubeVersion ? { ...spec, kubeVersion: opts.kubeVersion } : spec);
  for (const spec of opts.clusters ?? []) await attach(new SimCluster(withVersion(spec)));

  return {
    url,
    port: sharedPort,
    caPem: tls.caPem,
    adminToken,
    addCluster: (spec) => attach(new SimCluster(withVersion(spec))),
    async removeCluster(name) {
      mustCluster(name);
      clusters.delete(name);
      const o = own.get(name);
      if (o) {
        own.delete(name);
        if (o.open) await new Promise<void>((r) => o.server.close(() => r()));
      }
    },
    cluster: mustCluster,
    clusters: () => [...clusters.values()],
    serverUrl,
    connection: (name) => ({ server: serverUrl(name), caData: Buffer.from(tls.caPem).toString('base64'), token: mustCluster(name).token }),
    async clientCertConnection(name) {
      const c = mustCluster(name);
      const issued = await issueClientCert(tls, `kube-sim:${c.name}`);
      c.clientCertSerials.add(issued.serial.toLowerCase().replace(/^0+/, '') || '0');
      c.clientCertSerials.add(issued.serial.toLowerCase());
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      return { server: serverUrl(name), caData: b64(tls.caPem), clientCertData: b64(issued.certPem), clientKeyData: b64(issued.keyPem) };
    },
    kubeconfig: (name) => renderKubeconfig([entry(name)]),
    allKubeconfig: () => renderKubeconfig([...clusters.keys()].map(entry)),
    async writeKubeconfigs(dir) {
      await mkdir(dir, { recursive: true });
      const files: Record<string, string> = {};
      for (const name of clusters.keys()) {
        const file = join(dir, `${name}.kubeconfig`);
        await writeFile(file, renderKubeconfig([entry(name)]), { mode: 0o600 });
        files[name] = file;
      }
      const all = join(dir, 'all.kubeconfig');
      await writeFile(all, renderKubeconfig([...clusters.keys()].map(entry)), { mode: 0o600 });
      await writeFile(join(dir, 'ca.crt'), tls.caPem);
      return { dir, files, all };
    },
    setFaults(name, faults) {
      const c = mustCluster(name);
      c.faults = faults;
    },
    snapshot,
    async saveSnapshot(path) {
      await writeFile(path, JSON.stringify(snapshot()), { mode: 0o600 });
    },
    get requests() {
      return http.requests;
    },
    get tlsConnections() {
      return http.tlsConnections;
    },
    dropConnections() {
      for (const s of http.sockets) s.destroy();
    },
    async close() {
      http.destroyAll();
      const closing = [new Promise<void>((r) => shared.close(() => r()))];
      for (const o of own.values()) if (o.open) closing.push(new Promise<void>((r) => o.server.close(() => r())));
      http.destroyAll();
      await Promise.all(closing);
    },
  };
}
