import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { ResponseContext, wrapHttpLibrary, type HttpLibrary, type RequestContext } from '@kubernetes/client-node';
import type { ClusterConnection } from './connection.js';
import { KubeApiError, networkError } from './kube-api.error.js';

export interface TransportOptions {
  /** Whole-request deadline (connect + response) in ms. Default 15 000. */
  timeoutMs?: number;
  /** Sockets kept per cluster. Default 4. */
  maxSockets?: number;
  /** Largest response body accepted, bytes. Default 64 MiB. */
  maxBodyBytes?: number;
  /** Idle keep-alive sockets are closed after this many ms. Default 75 000 (see AgentPool). */
  idleSocketMs?: number;
  /** A shared agent (see AgentPool); the transport then does not destroy it on close. */
  agent?: https.Agent;
}

/**
 * The HTTP library given to @kubernetes/client-node's generated APIs: one keep-alive HTTPS agent
 * per cluster (bounded sockets, the cluster's CA and client certificate), the bearer token,
 * a deadline on every request, and failures turned into `KubeApiError` before the generated
 * code sees them.
 */
export class ClusterTransport {
  readonly agent: https.Agent;
  readonly library: HttpLibrary;
  readonly target: string;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly authorization: string | undefined;
  private readonly ownsAgent: boolean;

  constructor(conn: ClusterConnection, opts: TransportOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.maxBodyBytes = opts.maxBodyBytes ?? 64 * 1024 * 1024;
    this.target = new URL(conn.server).host;
    this.authorization = conn.token ? `Bearer ${conn.token}` : undefined;
    this.ownsAgent = opts.agent === undefined;
    this.agent = opts.agent ?? new https.Agent({
      keepAlive: true,
      maxSockets: opts.maxSockets ?? 4,
      maxFreeSockets: opts.maxSockets ?? 4,
      scheduling: 'lifo',
      // Idle keep-alive sockets are closed after this (active requests have their own deadline).
      timeout: opts.idleSocketMs ?? 75_000,
      ca: conn.caData ? Buffer.from(conn.caData, 'base64').toString('utf8') : undefined,
      cert: conn.clientCertData ? Buffer.from(conn.clientCertData, 'base64').toString('utf8') : undefined,
      key: conn.clientKeyData ? Buffer.from(conn.clientKeyData, 'base64').toString('utf8') : undefined,
      rejectUnauthorized: !conn.insecureSkipTLSVerify,
      servername: conn.tlsServerName,
    });
    this.library = wrapHttpLibrary({ send: (req) => this.send(req) });
  }

  send(request: RequestContext): Promise<ResponseContext> {
    const url = new URL(request.getUrl());
    const headers: Record<string, string> = { ...request.getHeaders(), accept: 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    const body = request.getBody();
    if (body !== undefined && typeof body !== 'string') {
      return Promise.reject(new KubeApiError({ kind: 'unknown', message: 'libs/kube sends only string bodies' }));
    }
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const signal = request.getSignal();
    return new Promise<ResponseContext>((resolve, reject) => {
      let settled = false;
      const fail = (err: KubeApiError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      };
      const req = https.request(
        { protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || 443, path: url.pathname + url.search, method: request.getHttpMethod(), headers, agent: this.agent },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > this.maxBodyBytes) {
              req.destroy();
              fail(new KubeApiError({ kind: 'unknown', status: res.statusCode, message: `response from ${this.target} exceeds ${this.maxBodyBytes} bytes` }));
              return;
            }
            chunks.push(c);
          });
          res.on('error', (err) => fail(networkError(err, this.target)));
          res.on('aborted', () => fail(new KubeApiError({ kind: 'connection-reset', code: 'ECONNRESET', message: `connection to ${this.target} was reset mid-response` })));
          res.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            const resHeaders: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) resHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
            resolve(new ResponseContext(res.statusCode ?? 0, resHeaders, { text: () => Promise.resolve(text), binary: () => Promise.resolve(Buffer.from(text)) }));
          });
        },
      );
      const timer = setTimeout(() => {
        fail(new KubeApiError({ kind: 'timeout', code: 'ETIMEDOUT', message: `request to ${this.target} timed out after ${this.timeoutMs} ms` }));
        req.destroy();
      }, this.timeoutMs);
      req.on('error', (err) => fail(networkError(err, this.target)));
      if (signal) {
        if (signal.aborted) req.destroy(new Error('aborted'));
        signal.addEventListener('abort', () => {
          fail(new KubeApiError({ kind: 'timeout', code: 'ABORT_ERR', message: `request to ${this.target} was aborted` }));
          req.destroy();
        });
      }
      req.end(body);
    });
  }

  close(): void {
    if (this.ownsAgent) this.agent.destroy();
  }
}
