import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { KubeClient } from '@fleetgate/kube';
import type { NamespaceInfo } from '@fleetgate/netpol';
import { ClusterCredentialsService } from '../clusters/cluster-credentials.service.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { DomainError } from '../errors/index.js';

const MAX_CLIENTS = 2_000;

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
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {}

  /** The client of a cluster, given its row (no lookup when cached and unchanged). */
  async clientOf(cluster: Cluster): Promise<KubeClient> {
    const version = `${cluster.credentialFingerprint}|${cluster.server}|${cluster.updatedAt.getTime()}`;
    const hit = this.clients.get(cluster.name);
    if (hit && hit.version === version) {
      this.clients.delete(cluster.name);
      this.clients.set(cluster.name, hit);
      return hit.client;
    }
    hit?.client.close();
    const sealed = await this.clusters.sealedCredentials(cluster.id);
    if (!sealed) throw DomainError.notFound('Cluster', cluster.name);
    const client = new KubeClient(this.credentials.unseal(cluster.id, sealed), { timeoutMs: this.config.clusterTimeoutMs, maxSockets: 2 });
    this.clients.set(cluster.name, { client, version });
    while (this.clients.size > MAX_CLIENTS) {
      const [oldest, entry] = this.clients.entries().next().value as [string, { client: KubeClient }];
      entry.client.close();
      this.clients.delete(oldest);
    }
    return client;
  }

  /** The client of a cluster by name. */
  async client(name: string): Promise<KubeClient> {
    const cluster = await this.clusters.findByName(name);
    if (!cluster) throw DomainError.notFound('Cluster', name);
    return this.clientOf(cluster);
  }

  async namespacesOf(names: readonly string[]): Promise<Map<string, NamespaceInfo[]>> {
    const out = new Map<string, NamespaceInfo[]>();
    for (const name of names) {
      const client = await this.client(name);
      const list = await client.listNamespaces();
      out.set(name, list.map((n) => ({ name: n.metadata.name ?? '', labels: n.metadata.labels ?? {} })));
    }
    return out;
  }

  onModuleDestroy(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}
