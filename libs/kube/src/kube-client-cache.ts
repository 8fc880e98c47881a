import type { ClusterConnection } from './connection.js';
import { AgentPool } from './agent-pool.js';
import { KubeClient, type KubeClientOptions } from './kube-client.js';
import { StreamPool } from './stream-pool.js';

export type KubeClientCacheOptions = Omit<KubeClientOptions, 'agent' | 'streams'> & {
  /** Clients kept; the least recently used beyond this are closed. Default 12 000. */
  maxClients?: number;
};

/**
 * The clients of a long-running process (the worker's rollouts and drift scans): one KubeClient
 * per cluster, kept while the cluster's connection is unchanged, over keep-alive agents shared
 * by clusters with the same endpoint and TLS identity (`AgentPool`). A cluster scanned every
 * minute or rolled out to in bursts reuses a warm socket instead of paying a TLS handshake.
 *
 * Clients are found by `key` and `version`, a caller's cheap summary of the connection (e.g. a
 * credential fingerprint and update time), so a hit needs neither a credential lookup nor
 * decryption; `open` makes the client of a new version and closes the previous one.
 */
export class KubeClientCache {
  private readonly clients = new Map<string, { client: KubeClient; version: string }>();
  private readonly agents: AgentPool;
  /** Watches: apart from the request sockets, shared per endpoint and TLS identity as well. */
  readonly streams: StreamPool;

  constructor(private readonly options: KubeClientCacheOptions = {}) {
    this.agents = new AgentPool({ maxSockets: options.maxSockets, maxAgents: options.maxClients, idleSocketMs: options.idleSocketMs });
    this.streams = new StreamPool({ connectTimeoutMs: options.timeoutMs, idleSessionMs: options.idleSocketMs });
  }

  /** Whether there is a client of `key` at `version` (does not count as a use). */
  has(key: string, version: string): boolean {
    return this.clients.get(key)?.version === version;
  }

  /** The client of `key` at `version`, if there is one. */
  get(key: string, version: string): KubeClient | undefined {
    const hit = this.clients.get(key);
    if (!hit || hit.version !== version) return undefined;
    // most recently used last
    this.clients.delete(key);
    this.clients.set(key, hit);
    return hit.client;
  }

  /** A new client of `key` at `version` over `conn`, replacing any other version's. */
  open(key: string, version: string, conn: ClusterConnection): KubeClient {
    this.evict(key);
    const { maxClients: _max, ...clientOptions } = this.options;
    const client = new KubeClient(conn, { ...clientOptions, agent: this.agents.agentFor(conn), streams: this.streams });
    this.clients.set(key, { client, version });
    const max = this.options.maxClients ?? 12_000;
    while (this.clients.size > max) this.evict(this.clients.keys().next().value as string);
    return client;
  }

  /** Forgets one cluster's client (e.g. when the cluster is deregistered). */
  evict(key: string): void {
    this.clients.get(key)?.client.close();
    this.clients.delete(key);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Closes every client and destroys the agents' sockets. */
  closeAll(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
    this.agents.close();
    this.streams.close();
  }
}
