import http2, { type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import https from 'node:https';
import tls, { type TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { AgentPool } from './agent-pool.js';
import type { ClusterConnection } from './connection.js';
import { KubeApiError, networkError } from './kube-api.error.js';

export interface StreamPoolOptions {
  /** Deadline of connecting and receiving the response headers, ms. Default 15 000. */
  connectTimeoutMs?: number;
  /** A session without open streams is closed after this many ms. Default 75 000. */
  idleSessionMs?: number;
}

/** A long-lived response (a watch): status, headers and the body as a stream of Buffers. */
export interface KubeStream {
  status: number;
  headers: Record<string, string>;
  body: Readable;
  /** Ends the request (and, on HTTP/1.1, its socket). */
  close(): void;
  /** `h2` when multiplexed on a shared HTTP/2 connection, `http/1.1` on a socket of its own. */
  protocol: 'h2' | 'http/1.1';
}

interface Session {
  session: ClientHttp2Session;
  open: number;
}

interface Endpoint {
  /** `h2` once the server chose it in ALPN, `http/1.1` once it did not. */
  mode: 'unknown' | 'h2' | 'http/1.1';
  sessions: Session[];
  connecting: Promise<Session | null> | undefined;
  agent: https.Agent | undefined;
}

const headerRecord = (h: Record<string, string | string[] | number | undefined>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !k.startsWith(':')) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
};

/**
 * Long-lived requests (watches) to clusters, kept apart from the pooled request sockets so that
 * a thousand open watches never starve lists and applies. Per endpoint and TLS identity (as
 * `AgentPool`): HTTP/2 when the server offers it in ALPN (kube-apiserver does), many watches
 * multiplexed over one connection, a further connection when the server's
 * `SETTINGS_MAX_CONCURRENT_STREAMS` is reached; otherwise HTTP/1.1, one socket per watch from an
 * unbounded keep-alive agent. A TLS connection costs ~60 KB in Node, an HTTP/2 stream ~10 KB.
 */
export class StreamPool {
  private readonly endpoints = new Map<string, Endpoint>();
  private closed = false;

  constructor(private readonly opts: StreamPoolOptions = {}) {}

  /** Opens `GET <path>` (path includes the query) on the cluster, with its bearer token. */
  async open(conn: ClusterConnection, path: string, signal?: AbortSignal): Promise<KubeStream> {
    if (this.closed) throw new KubeApiError({ kind: 'unknown', message: 'stream pool is closed' });
    const key = AgentPool.keyOf(conn);
    let ep = this.endpoints.get(key);
    if (!ep) this.endpoints.set(key, (ep = { mode: 'unknown', sessions: [], connecting: undefined, agent: undefined }));
    if (ep.mode !== 'http/1.1') {
      const s = await this.sessionFor(ep, conn);
      if (s) return this.openH2(s, conn, path, signal);
    }
    return this.openH1(ep, conn, path, signal);
  }

  /** Open HTTP/2 connections and streams (for tests and metrics). */
  get stats(): { sessions: number; streams: number; h1Sockets: number } {
    let sessions = 0;
    let streams = 0;
    let h1Sockets = 0;
    for (const ep of this.endpoints.values()) {
      sessions += ep.sessions.length;
      for (const s of ep.sessions) streams += s.open;
      for (const list of Object.values(ep.agent?.sockets ?? {})) h1Sockets += list?.length ?? 0;
    }
    return { sessions, streams, h1Sockets };
  }

  close(): void {
    this.closed = true;
    for (const ep of this.endpoints.values()) {
      for (const s of ep.sessions) s.session.destroy();
      ep.sessions = [];
      ep.agent?.destroy();
    }
    this.endpoints.clear();
  }

  private async sessionFor(ep: Endpoint, conn: ClusterConnection): Promise<Session | null> {
    for (;;) {
      const usable = ep.sessions.find((s) => !s.session.closed && !s.session.destroyed && s.open < (s.session.remoteSettings.maxConcurrentStreams ?? 100));
      if (usable) return usable;
      if (!ep.connecting) {
        ep.connecting = this.connect(ep, conn).finally(() => {
          ep.connecting = undefined;
        });
      }
      const s = await ep.connecting;
      if (!s) return null;
      // a session made for a concurrent caller may be full again: look once more
      if (s.open < (s.session.remoteSettings.maxConcurrentStreams ?? 100)) return s;
    }
  }

  /** A TLS connection offering h2 and http/1.1; an h2 session when the server picks h2, else null. */
  private connect(ep: Endpoint, conn: ClusterConnection): Promise<Session | null> {
    const url = new URL(conn.server);
    const timeoutMs = this.opts.connectTimeoutMs ?? 15_000;
    const target = url.host;
    return new Promise<Session | null>((resolve, reject) => {
      const socket: TLSSocket = tls.connect({
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port || 443),
        servername: conn.tlsServerName ?? (/^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname),
        ca: conn.caData ? Buffer.from(conn.caData, 'base64').toString('utf8') : undefined,
        cert: conn.clientCertData ? Buffer.from(conn.clientCertData, 'base64').toString('utf8') : undefined,
        key: conn.clientKeyData ? Buffer.from(conn.clientKeyData, 'base64').toString('utf8') : undefined,
        rejectUnauthorized: !conn.insecureSkipTLSVerify,
        ALPNProtocols: ['h2', 'http/1.1'],
      });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new KubeApiError({ kind: 'timeout', code: 'ETIMEDOUT', message: `connecting to ${target} timed out after ${timeoutMs} ms` }));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(networkError(err, target));
      });
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        if (socket.alpnProtocol !== 'h2') {
          socket.destroy();
          ep.mode = 'http/1.1';
          resolve(null);
          return;
        }
        ep.mode = 'h2';
        socket.removeAllListeners('error');
        const session = http2.connect(url.origin, { createConnection: () => socket, maxSessionMemory: 256, settings: { enablePush: false } });
        const entry: Session = { session, open: 0 };
        const drop = () => {
          ep.sessions = ep.sessions.filter((s) => s !== entry);
        };
        session.on('error', drop);
        session.on('close', drop);
        session.on('goaway', drop);
        session.setTimeout(this.opts.idleSessionMs ?? 75_000, () => {
          if (entry.open === 0) session.close();
        });
        ep.sessions.push(entry);
        // the server's SETTINGS (its stream limit) arrive right after the handshake
        session.once('remoteSettings', () => resolve(entry));
        session.once('close', () => resolve(entry));
      });
    });
  }

  private openH2(s: Session, conn: ClusterConnection, path: string, signal?: AbortSignal): Promise<KubeStream> {
    const target = new URL(conn.server).host;
    const headers: Record<string, string> = { ':method': 'GET', ':path': path, accept: 'application/json' };
    if (conn.token) headers.authorization = `Bearer ${conn.token}`;
    let stream: ClientHttp2Stream;
    try {
      stream = s.session.request(headers, { endStream: true, signal });
    } catch (err) {
      return Promise.reject(networkError(err as Error, target));
    }
    s.open++;
    stream.once('close', () => {
      s.open--;
    });
    return this.response(target, signal, (onResponse, onError) => {
      stream.once('response', (h) => onResponse(Number(h[':status'] ?? 0), headerRecord(h as Record<string, string>)));
      stream.once('error', onError);
      return { body: stream, close: () => stream.close(http2.constants.NGHTTP2_CANCEL), protocol: 'h2' };
    });
  }

  private openH1(ep: Endpoint, conn: ClusterConnection, path: string, signal?: AbortSignal): Promise<KubeStream> {
    const url = new URL(conn.server);
    ep.agent ??= new https.Agent({
      keepAlive: true,
      maxSockets: Infinity,
      maxFreeSockets: 256,
      scheduling: 'lifo',
      timeout: this.opts.idleSessionMs ?? 75_000,
      ca: conn.caData ? Buffer.from(conn.caData, 'base64').toString('utf8') : undefined,
      cert: conn.clientCertData ? Buffer.from(conn.clientCertData, 'base64').toString('utf8') : undefined,
      key: conn.clientKeyData ? Buffer.from(conn.clientKeyData, 'base64').toString('utf8') : undefined,
      rejectUnauthorized: !conn.insecureSkipTLSVerify,
      servername: conn.tlsServerName,
    });
    const headers: Record<string, string> = { accept: 'application/json' };
    if (conn.token) headers.authorization = `Bearer ${conn.token}`;
    const req = https.request({ hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || 443, path, method: 'GET', headers, agent: ep.agent, signal });
    req.end();
    return this.response(url.host, signal, (onResponse, onError) => {
      const handle: Omit<KubeStream, 'status' | 'headers'> = { body: req as unknown as Readable, close: () => req.destroy(), protocol: 'http/1.1' };
      req.once('response', (r: IncomingMessage) => {
        handle.body = r;
        onResponse(r.statusCode ?? 0, headerRecord(r.headers));
      });
      req.once('error', onError);
      return handle;
    });
  }

  /** Waits for the response headers (bounded), turning failures into `KubeApiError`. */
  private response(
    target: string,
    signal: AbortSignal | undefined,
    start: (onResponse: (status: number, headers: Record<string, string>) => void, onError: (err: Error) => void) => Omit<KubeStream, 'status' | 'headers'>,
  ): Promise<KubeStream> {
    const timeoutMs = this.opts.connectTimeoutMs ?? 15_000;
    return new Promise<KubeStream>((resolve, reject) => {
      let settled = false;
      const fail = (err: KubeApiError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        handle.close();
        reject(err);
      };
      const timer = setTimeout(() => fail(new KubeApiError({ kind: 'timeout', code: 'ETIMEDOUT', message: `watch request to ${target} got no response in ${timeoutMs} ms` })), timeoutMs);
      // the callbacks run on later events, after `handle` is assigned
      const handle = start(
        (status, headers) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status, headers, body: handle.body, close: () => handle.close(), protocol: handle.protocol });
        },
        (err) => fail(signal?.aborted ? new KubeApiError({ kind: 'timeout', code: 'ABORT_ERR', message: `watch request to ${target} was aborted` }) : networkError(err, target)),
      );
    });
  }
}
