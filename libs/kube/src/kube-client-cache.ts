import { createHash } from 'node:crypto';
import type { ClusterConnection } from './connection.js';
import { KubeClient, type KubeClientOptions } from './kube-client.js';

function fingerprint(conn: ClusterConnection): string {
  return createHash('sha256')
    .update(JSON.stringify([conn.server, conn.caData, conn.token, conn.clientCertData, conn.clientKeyData, conn.insecureSkipTLSVerify, conn.tlsServerName]))
    .digest('base64url');
}

/**
 * One KubeClient (one pooled agent) per cluster for long-running processes such as workers:
 * `get(clusterId, connection)` reuses the client while the connection is unchanged, replaces it
 * when credentials rotate, and closes the least recently used clients beyond `maxClients`.
 */
export class KubeClientCache {
  private readonly clients = new Map<string, { client: KubeClient; fingerprint: string }>();

  constructor(
    private readonly options: KubeClientOptions & { maxClients?: number } = {},
  ) {}

  get(key: string, conn: ClusterConnection): KubeClient {
    const fp = fingerprint(conn);
    const hit = this.clients.get(key);
    if (hit && hit.fingerprint === fp) {
      this.clients.delete(key);
      this.clients.set(key, hit);
      return hit.client;
    }
    if (hit) {
      hit.client.close();
      this.clients.delete(key);
    }
    const client = new KubeClient(conn, this.options);
    this.clients.set(key, { client, fingerprint: fp });
    const max = this.options.maxClients ?? 1000;
    while (this.clients.size > max) {
      const oldest = this.clients.keys().next().value as string;
      this.clients.get(oldest)?.client.close();
      this.clients.delete(oldest);
    }
    return client;
  }

  /** Closes and forgets one cluster's client (e.g. when the cluster is deregistered). */
  evict(key: string): void {
    this.clients.get(key)?.client.close();
    this.clients.delete(key);
  }

  get size(): number {
    return this.clients.size;
  }

  closeAll(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}
