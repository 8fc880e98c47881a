import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { KubeClient } from '@fleetgate/kube';
import { ClusterCredentialsService } from '../clusters/cluster-credentials.service.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { DomainError } from '../errors/index.js';
import { DriftRepository } from './drift.repository.js';

/** Enough for a 10,000-cluster fleet plus seeds: evicting would mean a TLS handshake per scan. */
const versionOf = (c: Cluster) => `${c.credentialFingerprint}|${c.server}|${c.updatedAt.getTime()}`;

const MAX_CLIENTS = 12_000;

/**
 * Kube clients for scans, kept between scans (a scan every minute per cluster would otherwise
 * pay a TLS handshake each time). Keyed by cluster name; a changed credential fingerprint or
 * server makes a new client. Least recently used clients beyond MAX_CLIENTS are closed.
 */
@Injectable()
export class DriftClientPool implements OnModuleDestroy {
  private readonly clients = new Map<string, { client: KubeClient; version: string }>();

  constructor(
    private readonly clusters: ClusterRepository,
    private readonly credentials: ClusterCredentialsService,
    private readonly drift: DriftRepository,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {}

  private readonly sealed = new Map<string, { ciphertext: string; keyId: string }>();

  /** Fetches, in one query, the credentials of the clusters that have no current client yet. */
  async prime(clusters: readonly Cluster[]): Promise<void> {
    const missing = clusters.filter((c) => this.clients.get(c.name)?.version !== versionOf(c) && !this.sealed.has(c.id));
    if (missing.length === 0) return;
    for (const [id, s] of await this.drift.sealedCredentialsOf(missing.map((c) => c.id))) this.sealed.set(id, s);
  }

  /** The client of a cluster, given its row (no lookup when cached and unchanged). */
  async clientOf(cluster: Cluster): Promise<KubeClient> {
    const version = versionOf(cluster);
    const hit = this.clients.get(cluster.name);
    if (hit && hit.version === version) {
      this.clients.delete(cluster.name);
      this.clients.set(cluster.name, hit);
      return hit.client;
    }
    hit?.client.close();
    const sealed = this.sealed.get(cluster.id) ?? (await this.clusters.sealedCredentials(cluster.id));
    this.sealed.delete(cluster.id);
    if (!sealed) throw DomainError.notFound('Cluster', cluster.name);
    // Idle sockets close after libs/kube's default (30 s) so they never outlive the server's keep-alive;
    // the client (its agent) stays, so the next scan's handshake resumes the TLS session.
    const client = new KubeClient(this.credentials.unseal(cluster.id, sealed), { timeoutMs: this.config.clusterTimeoutMs, maxSockets: 2 });
    this.clients.set(cluster.name, { client, version });
    while (this.clients.size > MAX_CLIENTS) {
      const [oldest, entry] = this.clients.entries().next().value as [string, { client: KubeClient }];
      entry.client.close();
      this.clients.delete(oldest);
    }
    return client;
  }

  onModuleDestroy(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}
