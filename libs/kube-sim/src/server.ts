import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { SimCluster } from './cluster.js';
import { apiGroupList, apiVersions, coreV1Resources, networkingGroupDoc, networkingV1Resources, versionInfo } from './discovery.js';
import { hits, sampleLatency } from './faults.js';
import { OpenApiDocuments } from './openapi/serve.js';
import { checkUnknownFields, decodeBody, encodeResponse, fieldValidationOf, responseEncoding, type Encoding } from './media.js';
import { namespaceKind, networkPolicyKind } from './resources.js';
import { NAMESPACES, NETPOL, StatusError, statusErrors, type ResourceRef } from './status.js';
import { toTable, wantsTable } from './table.js';

export interface Router {
  cluster(name: string): SimCluster | undefined;
  /** Admin requests (`/admin/...`), already authenticated. */
  admin(method: string, path: string, query: URLSearchParams, body: unknown): Promise<{ status: number; body: unknown }>;
  adminToken: string;
  /** host:port clients use, for the /api document. */
  address(): string;
}

const MAX_BODY = 3 * 1024 * 1024;
const SERVICE_ACCOUNT = 'system:serviceaccount:kube-system:fleetgate';

/** How each response is encoded, from its request's Accept header (set in `handle`). */
const encodings = new WeakMap<ServerResponse, Encoding>();

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const { bytes, contentType } = encodeResponse(body, encodings.get(res) ?? 'json');
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-cache, private', 'content-length': bytes.length, ...headers });
  res.end(bytes);
}

/** The kinds a write path names, by resource (`namespaces`, `networkpolicies`): what a body must decode into. */
const SERVED_KINDS = [namespaceKind, networkPolicyKind];
const KINDS_BY_RESOURCE = new Map(SERVED_KINDS.map((k) => [k.ref.resource, { apiVersion: k.apiVersion, kind: k.kind }]));

function targetKind(parts: readonly string[]): { apiVersion: string; kind: string } | undefined {
  // /api/v1/[namespaces/<ns>/]<resource>[/<name>] or /apis/<group>/<version>/[namespaces/<ns>/]<resource>[/<name>]
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  const resource = rest[0] === 'namespaces' && rest.length >= 3 ? rest[2] : rest[0];
  return resource === undefined ? undefined : KINDS_BY_RESOURCE.get(resource);
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
  private readonly openapi = new OpenApiDocuments(() => SERVED_KINDS);

  constructor(private readonly router: Router) {}

  createServer(tls: { certPem: string; keyPem: string; caPem: string }, fixedCluster?: string): https.Server {
    // Client certificates are asked for but optional (tokens work without one); a presented
    // certificate must chain to the simulator's CA and be issued for the cluster.
    // (Verified by hand against the CA: giving OpenSSL the CA would also send it in the chain.)
    this.ca ??= new X509Certificate(tls.caPem);
    const server = https.createServer({ cert: tls.certPem, key: tls.keyPem, requestCert: true, rejectUnauthorized: false, keepAlive: true }, (req, res) => {
      void this.handle(req, res, fixedCluster);
    });
    // kube-apiserver closes idle connections after 90 s (IdleTimeout in its secure serving)
    server.keepAliveTimeout = 90_000;
    server.headersTimeout = 95_000;
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
        req.socket.destroy();
        return;
      }
      if (hits(f.reset)) {
        resetSocket(req.socket);
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
    if (q.get('watch') === 'true' || q.get('watch') === '1') throw statusErrors.badRequest('watch is not supported by kube-sim');
    // Discovery.
    if (method === 'GET') {
      switch (path) {
        case '/version':
        case '/version/':
          return send(res, 200, versionInfo(cluster.gitVersion));
        case '/api':
          return send(res, 200, apiVersions(this.router.address()));
        case '/api/v1':
          return send(res, 200, coreV1Resources);
        case '/apis':
          return send(res, 200, apiGroupList());
        case '/apis/networking.k8s.io':
          return send(res, 200, networkingGroupDoc());
        case '/apis/networking.k8s.io/v1':
          return send(res, 200, networkingV1Resources);
        default:
          break;
      }
    }
    const asTable = wantsTable(req.headers.accept);
    const table = (kind: 'NetworkPolicy' | 'Namespace', body: object) => (asTable ? toTable(kind, body as Record<string, unknown>) : body);
    const contentType = String(req.headers['content-type'] ?? 'application/json').toLowerCase();
    const needsBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    const target = targetKind(parts);
    const body = needsBody ? decodeBody(await readBody(req), contentType, method, target) : undefined;
    if (needsBody && target && !contentType.startsWith('application/apply-patch') && !contentType.startsWith('application/json-patch')) {
      for (const w of checkUnknownFields(body, target, fieldValidationOf(q), method)) res.appendHeader('warning', w);
    }
    const manager = q.get('fieldManager') ?? managerFromUserAgent(req.headers['user-agent']);
    const limit = q.get('limit') ? Number(q.get('limit')) : undefined;
    const listQuery = { labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined, limit, continue: q.get('continue') ?? undefined };

    // /api/v1/namespaces[/name]
    if (parts[0] === 'api' && parts[1] === 'v1' && parts[2] === 'namespaces' && parts.length <= 4) {
      const name = parts[3];
      if (name === undefined) {
        if (method === 'GET') return send(res, 200, table('Namespace', cluster.listNamespaces(listQuery)));
        if (method === 'POST') {
          this.forbidIfReadOnly(cluster, 'create', NAMESPACES, '', undefined);
          const out = cluster.createNamespace(body, { manager, dryRun: dryRunOf(q) });
          return send(res, 201, out.object);
        }
        throw statusErrors.methodNotAllowed();
      }
      switch (method) {
        case 'GET':
          return send(res, 200, table('Namespace', cluster.getNamespace(name)));
        case 'PUT':
          this.forbidIfReadOnly(cluster, 'update', NAMESPACES, name, undefined);
          return send(res, 200, cluster.updateNamespace(name, body, { manager, dryRun: dryRunOf(q) }).object);
        case 'PATCH': {
          this.forbidIfReadOnly(cluster, 'patch', NAMESPACES, name, undefined);
          const out = this.patch(contentType, q, manager, body, (t, p, o) => cluster.patchNamespace(name, t, p, o), (c, o) => cluster.applyNamespace(name, c, o));
          return send(res, out.created ? 201 : 200, out.object);
        }
        case 'DELETE':
          this.forbidIfReadOnly(cluster, 'delete', NAMESPACES, name, undefined);
          return send(res, 200, cluster.deleteNamespace(name, { dryRun: dryRunOf(q) }));
        default:
          throw statusErrors.methodNotAllowed();
      }
    }

    // /apis/networking.k8s.io/v1/...
    if (parts[0] === 'apis' && parts[1] === 'networking.k8s.io' && parts[2] === 'v1') {
      if (parts.length === 4 && parts[3] === 'networkpolicies') {
        if (method !== 'GET') throw statusErrors.methodNotAllowed();
        return send(res, 200, table('NetworkPolicy', cluster.listNetworkPolicies(listQuery)));
      }
      if (parts[3] === 'namespaces' && parts[5] === 'networkpolicies' && parts.length <= 7) {
        const ns = parts[4] as string;
        const name = parts[6];
        if (name === undefined) {
          if (method === 'GET') return send(res, 200, table('NetworkPolicy', cluster.listNetworkPolicies({ ...listQuery, namespace: ns })));
          if (method === 'POST') {
            this.forbidIfReadOnly(cluster, 'create', NETPOL, '', ns);
            return send(res, 201, cluster.createNetworkPolicy(ns, body, { manager, dryRun: dryRunOf(q) }).object);
          }
          throw statusErrors.methodNotAllowed();
        }
        switch (method) {
          case 'GET':
            return send(res, 200, table('NetworkPolicy', cluster.getNetworkPolicy(ns, name)));
          case 'PUT':
            this.forbidIfReadOnly(cluster, 'update', NETPOL, name, ns);
            return send(res, 200, cluster.updateNetworkPolicy(ns, name, body, { manager, dryRun: dryRunOf(q) }).object);
          case 'PATCH': {
            this.forbidIfReadOnly(cluster, 'patch', NETPOL, name, ns);
            const out = this.patch(contentType, q, manager, body, (t, p, o) => cluster.patchNetworkPolicy(ns, name, t, p, o), (c, o) => cluster.applyNetworkPolicy(ns, name, c, o));
            return send(res, out.created ? 201 : 200, out.object);
          }
          case 'DELETE':
            this.forbidIfReadOnly(cluster, 'delete', NETPOL, name, ns);
            return send(res, 200, cluster.deleteNetworkPolicy(ns, name, { dryRun: dryRunOf(q) }));
          default:
            throw statusErrors.methodNotAllowed();
        }
      }
    }
    throw notFoundPath();
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

/** The API server's default field manager: the user agent up to the first '/'. */
function managerFromUserAgent(ua: string | undefined): string {
  if (!ua) return 'unknown';
  const first = ua.split('/')[0] ?? 'unknown';
  return first.slice(0, 128) || 'unknown';
}
