import { createHash } from 'node:crypto';
import https from 'node:https';
import type { ClusterConnection } from './connection.js';

export interface AgentPoolOptions {
  /** Sockets per agent (per endpoint and TLS identity). Default 16. */
  maxSockets?: number;
  /** Agents kept; the least recently used beyond this are destroyed. Default 12 000. */
  maxAgents?: number;
  /**
   * Idle keep-alive sockets are closed after this many ms. Default 75 000: longer than a
   * one-minute scan interval with its jitter, shorter than kube-apiserver's 90 s idle timeout,
   * so a socket is reused by the next scan and never by a request the server is closing on.
   */
  idleSocketMs?: number;
}

/**
 * Keep-alive HTTPS agents shared by connections with the same endpoint and TLS identity (origin,
 * CA, client certificate, server name; never the bearer token, which travels per request). Many
 * clusters behind one endpoint (a simulator, a proxy, an aggregated API) then share warm sockets
 * instead of paying a TLS handshake per cluster; distinct clusters still get distinct agents.
 */
export class AgentPool {
  private readonly agents = new Map<string, https.Agent>();

  constructor(private readonly opts: AgentPoolOptions = {}) {}

  static keyOf(conn: ClusterConnection): string {
    const origin = new URL(conn.server).origin;
    return createHash('sha256')
      .update([origin, conn.caData ?? '', conn.clientCertData ?? '', conn.clientKeyData ?? '', conn.insecureSkipTLSVerify ? '1' : '0', conn.tlsServerName ?? ''].join('\n'))
      .digest('hex');
  }

  agentFor(conn: ClusterConnection): https.Agent {
    const key = AgentPool.keyOf(conn);
    let agent = this.agents.get(key);
    if (agent) {
      // most recently used last
      this.agents.delete(key);
      this.agents.set(key, agent);
      return agent;
    }
    const max = this.opts.maxSockets ?? 16;
    agent = new https.Agent({
      keepAlive: true,
      maxSockets: max,
      maxFreeSockets: max,
      scheduling: 'lifo',
      timeout: this.opts.idleSocketMs ?? 75_000,
      ca: conn.caData ? Buffer.from(conn.caData, 'base64').toString('utf8') : undefined,
      cert: conn.clientCertData ? Buffer.from(conn.clientCertData, 'base64').toString('utf8') : undefined,
      key: conn.clientKeyData ? Buffer.from(conn.clientKeyData, 'base64').toString('utf8') : undefined,
      rejectUnauthorized: !conn.insecureSkipTLSVerify,
      servername: conn.tlsServerName,
    });
    this.agents.set(key, agent);
    if (this.agents.size > (this.opts.maxAgents ?? 12_000)) {
      const [oldest, a] = this.agents.entries().next().value as [string, https.Agent];
      this.agents.delete(oldest);
      a.destroy();
    }
    return agent;
  }

  get size(): number {
    return this.agents.size;
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}
