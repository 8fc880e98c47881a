import { X509Certificate } from 'node:crypto';
import http2 from 'node:http2';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { SimCluster } from './cluster.js';
import type { ListQuery, WatchHandle } from './cluster.js';
import { apiGroup, apiGroupList, apiVersions, resourceList, versionInfo } from './discovery.js';
import { kindForResource } from './kinds.js';
import type { ResourceKind } from './resources.js';
import { hits, sampleLatency } from './faults.js';
import { ALL_KINDS } from './kinds.js';
import { checkUnknownFields, decodeBody, encodeResponse, fieldValidationOf, responseEncoding, type Encoding } from './media.js';
import { OpenApiDocuments } from './openapi/serve.js';
import { PROTOBUF_MEDIA_TYPE, encodeWatchFrame, hasSubsetMessage, messageFor } from './protobuf/codec.js';
import { StatusError, statusErrors, type ResourceRef } from './status.js';
import { hasTable, toTable, wantsTable } from './table.js';

export interface Router {
  cluster(name: string): SimCluster | undefined;
  /** Admin requests (`/admin/...`), already authenticated. */
  admin(method: string, path: string, query: URLSearchParams, body: unknown): Promise<{ status: number; body: unknown }>;
  adminToken: string;
  /** host:port clients use, for the /api document. */
  address(): string;
}

const MAX_BODY = 3 * 1024 * 1024;
/** Bytes a watch may have queued for a slow client before the server drops it. */
const MAX_WATCH_BUFFER = 4 * 1024 * 1024;
const SERVICE_ACCOUNT = 'system:serviceaccount:kube-system:fleetgate';

/** How each response is encoded, from its request's Accept header (set in `handle`). */
const encodings = new WeakMap<ServerResponse, Encoding>();

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const { bytes, contentType } = encodeResponse(body, encodings.get(res) ?? 'json');
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-cache, private', 'content-length': bytes.length, ...headers });
  res.end(bytes);
}

function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof StatusError) {
    send(res, err.code, err.toStatus(), err.headers);
    return;
  }
  const e = statusErrors.internal((err as Error)?.message ?? String(err));
  send(res, 500, e.toStatus());
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function dryRunOf(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') {
      throw new StatusError(422, 'Invalid', `Invalid dryRun value: "${v}": supported values: "All"`, { causes: [{ reason: 'FieldValueNotSupported', message: `Unsupported value: "${v}": supported values: "All"`, field: 'dryRun' }] });
    }
  }
  return values.length > 0;
}

const notFoundPath = () => new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});

/**
 * The HTTP face of the simulator: routes `/clusters/<name>/…` (or a cluster's own port) to its
 * SimCluster, applies that cluster's faults, and speaks the Kubernetes REST API.
 */
export class SimHttp {
  readonly hanging = new Set<ServerResponse>();
  readonly sockets = new Set<Socket>();
  requests = 0;
  /** TLS connections accepted (each one a handshake, full or resumed). */
  tlsConnections = 0;
  private ca: X509Certificate | undefined;
  private readonly openapi = new OpenApiDocuments(() => ALL_KINDS);

  constructor(private readonly router: Router) {}

  /**
   * `http2`: also speak HTTP/2 (ALPN `h2`, as kube-apiserver does), so that many watches share one
   * connection; clients that do not offer h2 (Node's https, kubectl with HTTP/2 disabled) get
   * HTTP/1.1 as before.
   */
  createServer(tls: { certPem: string; keyPem: string; caPem: string }, fixedCluster?: string, opts: { http2?: boolean } = {}): https.Server | http2.Http2SecureServer {
    // Client certificates are asked for but optional (tokens work without one); a presented
    // certificate must chain to the simulator's CA and be issued for the cluster.
    // (Verified by hand against the CA: giving OpenSSL the CA would also send it in the chain.)
    this.ca ??= new X509Certificate(tls.caPem);
    const handler = (req: IncomingMessage | http2.Http2ServerRequest, res: ServerResponse | http2.Http2ServerResponse) => {
      void this.handle(req as IncomingMessage, res as ServerResponse, fixedCluster);
    };
    const common = { cert: tls.certPem, key: tls.keyPem, requestCert: true, rejectUnauthorized: false };
    let server: https.Server | http2.Http2SecureServer;
    if (opts.http2) {
      // kube-apiserver allows 1000 streams per connection (--http2-max-streams-per-connection);
      // here one connection may carry the watches of a whole simulated fleet
      server = http2.createSecureServer({ ...common, allowHTTP1: true, settings: { maxConcurrentStreams: 1_000_000 }, maxSessionMemory: 4096 }, handler);
    } else {
      const h1 = https.createServer({ ...common, keepAlive: true }, handler);
      // kube-apiserver closes idle connections after 90 s (IdleTimeout in its secure serving)
      h1.keepAliveTimeout = 90_000;
      h1.headersTimeout = 95_000;
      server = h1;
    }
    server.on('secureConnection', (s: Socket) => {
      this.tlsConnections++;
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('tlsClientError', () => {});
    return server;
  }

  async handle(req: IncomingMessage, res: ServerResponse, fixedCluster?: string): Promise<void> {
    this.requests++;
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const path = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const query = new URLSearchParams(qi < 0 ? '' : rawUrl.slice(qi + 1));
    const method = req.method ?? 'GET';
    encodings.set(res, responseEncoding(req.headers.accept));
    try {
      let clusterName = fixedCluster;
      let rest = path;
      if (clusterName === undefined) {
        if (path.startsWith('/admin/') || path === '/admin') {
          await this.handleAdmin(req, res, method, path, query);
          return;
        }
        if (path === '/healthz' || path === '/readyz' || path === '/livez') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('ok');
          return;
        }
        if (!path.startsWith('/clusters/')) throw notFoundPath();
        const slash = path.indexOf('/', 10);
        clusterName = decodeURIComponent(slash < 0 ? path.slice(10) : path.slice(10, slash));
        rest = slash < 0 ? '/' : path.slice(slash);
      }
      const cluster = this.router.cluster(clusterName);
      if (!cluster) throw notFoundPath();
      const f = cluster.faults;
      if (f.down) {
        if (!dropStream(req)) req.socket.destroy();
        return;
      }
      if (hits(f.reset)) {
        if (!dropStream(req)) resetSocket(req.socket);
        return;
      }
      if (hits(f.hang)) {
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        req.resume();
        return;
      }
      const delay = sampleLatency(f.latency);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      cluster.counters.requests++;
      if (!authenticated(req, cluster, this.ca)) throw statusErrors.unauthorized();
      if (hits(f.throttleRate)) throw statusErrors.tooManyRequests(f.retryAfterSeconds ?? 1);
      if (hits(f.errorRate)) throw f.errorStatus === 500 ? statusErrors.internal('injected fault') : statusErrors.unavailable();
      if (method === 'GET' && this.openapi.handle(req, res, rest, cluster.gitVersion, fixedCluster === undefined ? `/clusters/${encodeURIComponent(clusterName)}` : '')) return;
      await this.route(cluster, req, res, method, rest, query);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) sendError(res, err);
    }
  }

  private async handleAdmin(req: IncomingMessage, res: ServerResponse, method: string, path: string, query: URLSearchParams): Promise<void> {
    if (req.headers.authorization !== `Bearer ${this.router.adminToken}`) throw statusErrors.unauthorized();
    const bytes = method === 'GET' || method === 'DELETE' ? Buffer.alloc(0) : await readBody(req);
    const body = bytes.toString('utf8').trim() ? decodeBody(bytes, 'application/json', 'POST', undefined) : undefined;
    const out = await this.router.admin(method, path.slice('/admin'.length) || '/', query, body);
    send(res, out.status, out.body);
  }

  private forbidIfReadOnly(cluster: SimCluster, verb: string, ref: ResourceRef, name: string, namespace: string | undefined): void {
    if (cluster.faults.forbidWrites) throw statusErrors.forbidden(ref, name, verb, namespace, SERVICE_ACCOUNT);
  }

  private async route(cluster: SimCluster, req: IncomingMessage, res: ServerResponse, method: string, path: string, q: URLSearchParams): Promise<void> {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    // Discovery.
    if (method === 'GET') {
      if (path === '/version' || path === '/version/') return send(res, 200, versionInfo(cluster.gitVersion));
      if (path === '/api' || path === '/api/') return send(res, 200, apiVersions(this.router.address()));
      if (path === '/apis' || path === '/apis/') return send(res, 200, apiGroupList());
      if (parts[0] === 'api' && parts.length === 2) {
        const doc = resourceList(parts[1] as string);
        if (doc) return send(res, 200, doc);
      }
      if (parts[0] === 'apis' && parts.length === 2) {
        const doc = apiGroup(parts[1] as string);
        if (doc) return send(res, 200, doc);
      }
      if (parts[0] === 'apis' && parts.length === 3) {
        const doc = resourceList(`${parts[1]}/${parts[2]}`);
        if (doc) return send(res, 200, doc);
      }
    }
    const target = resolveResource(parts);
    if (!target) throw notFoundPath();
    const { kind, namespace: ns, name } = target;
    const watch = target.watch || q.get('watch') === 'true' || q.get('watch') === '1';
    const asTable = wantsTable(req.headers.accept) && hasTable(kind.kind);
    const table = (body: object) => (asTable ? toTable(kind.kind, body as Record<string, unknown>) : body);
    const limit = q.get('limit') ? Number(q.get('limit')) : undefined;
    const listQuery = { namespace: ns, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined, limit, continue: q.get('continue') ?? undefined };

    if (method === 'GET' && watch) {
      const fieldSelector = name === undefined ? listQuery.fieldSelector : [`metadata.name=${name}`, listQuery.fieldSelector].filter(Boolean).join(',');
      return this.serveWatch(cluster, kind, { ...listQuery, fieldSelector, resourceVersion: q.get('resourceVersion') ?? undefined }, q, res, asTable);
    }
    const contentType = String(req.headers['content-type'] ?? 'application/json').toLowerCase();
    const needsBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    const body = needsBody ? decodeBody(await readBody(req), contentType, method, kind) : undefined;
    if (needsBody && !contentType.startsWith('application/apply-patch') && !contentType.startsWith('application/json-patch')) {
      for (const w of checkUnknownFields(body, kind, fieldValidationOf(q), method)) res.appendHeader('warning', w);
    }
    const manager = q.get('fieldManager') ?? managerFromUserAgent(req.headers['user-agent']);
    if (name === undefined) {
      if (method === 'GET') return send(res, 200, table(cluster.listObjects(kind, listQuery)));
      if (method === 'POST' && (ns !== undefined || !kind.namespaced)) {
        this.forbidIfReadOnly(cluster, 'create', kind.ref, '', ns);
        return send(res, 201, cluster.createObject(kind, ns, body, { manager, dryRun: dryRunOf(q) }).object);
      }
      throw statusErrors.methodNotAllowed();
    }
    switch (method) {
      case 'GET':
        return send(res, 200, table(cluster.getObject(kind, ns, name)));
      case 'PUT':
        this.forbidIfReadOnly(cluster, 'update', kind.ref, name, ns);
        return send(res, 200, cluster.updateObject(kind, ns, name, body, { manager, dryRun: dryRunOf(q) }).object);
      case 'PATCH': {
        this.forbidIfReadOnly(cluster, 'patch', kind.ref, name, ns);
        const out = this.patch(contentType, q, manager, body, (t, p, o) => cluster.patchObject(kind, ns, name, t, p, o), (c, o) => cluster.applyObject(kind, ns, name, c, o));
        return send(res, out.created ? 201 : 200, out.object);
      }
      case 'DELETE':
        this.forbidIfReadOnly(cluster, 'delete', kind.ref, name, ns);
        return send(res, 200, cluster.deleteObject(kind, ns, name, { dryRun: dryRunOf(q) }));
      default:
        throw statusErrors.methodNotAllowed();
    }
  }

  /**
   * A watch as kube-apiserver serves it: 200 with newline-delimited JSON events over a chunked
   * response; a resourceVersion older than the event window is answered by one ERROR event
   * (410 Expired) in that stream. Bookmarks on request; the server ends the watch after
   * timeoutSeconds (default: a random 30–60 minutes), and drops a client that stops reading.
   */
  private serveWatch(cluster: SimCluster, kind: ResourceKind, query: ListQuery, q: URLSearchParams, res: ServerResponse, asTable: boolean): void {
    // A client that prefers protobuf gets length-prefixed WatchEvent frames (as kube-apiserver sends
    // them), for kinds whose messages carry every field (otherwise JSON, which it accepts too).
    const message = messageFor(kind.apiVersion, kind.kind);
    const protobuf = !asTable && encodings.get(res) === 'protobuf' && message !== undefined && !hasSubsetMessage(message);
    const line = (type: string, object: unknown): string | Buffer =>
      protobuf
        ? (encodeWatchFrame(type, object as Record<string, unknown>) as Buffer)
        : `${JSON.stringify({ type, object: asTable && type !== 'ERROR' && type !== 'BOOKMARK' ? toTable(kind.kind, object as Record<string, unknown>) : object })}\n`;
    let buffered: (string | Buffer)[] | undefined = [];
    let stopped = false;
    const timers: NodeJS.Timeout[] = [];
    let handle: WatchHandle | undefined = undefined as WatchHandle | undefined;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      handle?.stop();
      for (const t of timers) clearTimeout(t);
      if (!res.writableEnded) res.end();
    };
    const write = (text: string | Buffer) => {
      if (stopped) return;
      if (buffered) {
        buffered.push(text);
        return;
      }
      res.write(text);
      // A client that does not keep up is dropped rather than buffered without bound.
      if (res.writableLength > MAX_WATCH_BUFFER) stop();
    };
    const started = cluster.watch(kind, query, (type, object) => write(line(type, object)));
    res.writeHead(200, { 'content-type': protobuf ? `${PROTOBUF_MEDIA_TYPE};stream=watch` : 'application/json', 'cache-control': 'no-cache, private' });
    if ('expired' in started) {
      res.end(line('ERROR', new StatusError(410, 'Expired', started.expired).toStatus()));
      return;
    }
    handle = started;
    res.on('close', stop);
    const initial = Buffer.concat(buffered.map((b) => (typeof b === 'string' ? Buffer.from(b) : b)));
    buffered = undefined;
    if (initial.length) res.write(initial);
    else res.flushHeaders();
    const timeout = q.get('timeoutSeconds');
    const seconds = timeout !== null && Number(timeout) > 0 ? Number(timeout) : 1800 * (1 + Math.random());
    timers.push(setTimeout(stop, seconds * 1000));
    if (q.get('allowWatchBookmarks') === 'true') {
      const every = cluster.watchBookmarkIntervalMs;
      const bookmark = () => {
        write(line('BOOKMARK', { kind: kind.kind, apiVersion: kind.apiVersion, metadata: { resourceVersion: cluster.resourceVersion } }));
        timers.push(setTimeout(bookmark, every));
      };
      timers.push(setTimeout(bookmark, every));
    }
  }

  private patch<R>(
    contentType: string,
    q: URLSearchParams,
    manager: string,
    body: unknown,
    patchFn: (type: 'merge' | 'json', patch: unknown, opts: { manager: string; dryRun: boolean }) => R,
    applyFn: (config: unknown, opts: { manager: string; force: boolean; dryRun: boolean }) => R,
  ): R {
    const dryRun = dryRunOf(q);
    const force = q.get('force') === 'true';
    if (contentType.startsWith('application/apply-patch+yaml') || contentType.startsWith('application/apply-patch+json') || contentType.startsWith('application/apply-patch+cbor')) {
      return applyFn(body, { manager: q.get('fieldManager') ?? '', force, dryRun });
    }
    if (q.has('force')) {
      throw new StatusError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' }],
      });
    }
    // NetworkPolicy and Namespace fields are atomic or plain maps, where a strategic merge patch is a merge patch.
    if (contentType.startsWith('application/merge-patch+json') || contentType.startsWith('application/strategic-merge-patch+json')) return patchFn('merge', body, { manager, dryRun });
    if (contentType.startsWith('application/json-patch+json')) return patchFn('json', body, { manager, dryRun });
    throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
  }

  /** Ends hanging requests and open sockets (on close). */
  destroyAll(): void {
    for (const r of this.hanging) r.destroy();
    this.hanging.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}

/** A bearer token of the cluster, or (without an Authorization header) a client certificate it issued. */
function authenticated(req: IncomingMessage, cluster: SimCluster, ca: X509Certificate | undefined): boolean {
  const authz = req.headers.authorization;
  if (authz !== undefined) return authz === `Bearer ${cluster.token}`;
  if (!ca || cluster.clientCertSerials.size === 0) return false;
  const peer = (req.socket as TLSSocket).getPeerX509Certificate?.();
  if (!peer || !peer.checkIssued(ca) || !peer.verify(ca.publicKey)) return false;
  const now = Date.now();
  if (now < Date.parse(peer.validFrom) || now > Date.parse(peer.validTo)) return false;
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(peer.subject)?.[1];
  return cn === `kube-sim:${cluster.name}` && cluster.clientCertSerials.has(peer.serialNumber.toLowerCase());
}

/**
 * On HTTP/2 the connection carries other clusters' streams: a cluster that is down or resets
 * refuses just this stream (the client sees a stream error). False on HTTP/1.1.
 */
function dropStream(req: IncomingMessage): boolean {
  const stream = (req as unknown as { stream?: http2.ServerHttp2Stream }).stream;
  if (req.httpVersionMajor !== 2 || !stream) return false;
  stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
  return true;
}

/** Sends a TCP RST (the client sees ECONNRESET), on the raw socket under TLS. */
function resetSocket(socket: Socket): void {
  const tcp = (socket as Socket & { _parent?: Socket })._parent ?? socket;
  try {
    (tcp as Socket & { resetAndDestroy(): void }).resetAndDestroy();
  } catch {
    socket.destroy();
  }
  if (tcp !== socket) socket.destroy();
}

/**
 * `/api/v1/[watch/][namespaces/<ns>/]<resource>[/<name>]` and the same under `/apis/<group>/<version>`,
 * or undefined for a path that names no served resource.
 */
function resolveResource(parts: string[]): { kind: ResourceKind; namespace?: string; name?: string; watch: boolean } | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) [group, version, rest] = ['', parts[1] as string, parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length >= 4) [group, version, rest] = [parts[1] as string, parts[2] as string, parts.slice(3)];
  else return undefined;
  let watch = false;
  if (rest[0] === 'watch') {
    watch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 2) return undefined;
  const kind = kindForResource(group, version, rest[0] as string);
  if (!kind) return undefined;
  if (namespace !== undefined && !kind.namespaced) return undefined;
  const name = rest[1];
  if (kind.namespaced && namespace === undefined && name !== undefined) return undefined;
  return { kind, namespace, name, watch };
}

/** The API server's default field manager: the user agent up to the first '/'. */
function managerFromUserAgent(ua: string | undefined): string {
  if (!ua) return 'unknown';
  const first = ua.split('/')[0] ?? 'unknown';
  return first.slice(0, 128) || 'unknown';
}
