import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type KubeClient, KubeClientCache } from '@fleetgate/kube';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { DomainError } from '../errors/index.js';
import { ClusterCredentialsService } from './cluster-credentials.service.js';
import type { Cluster } from './cluster.model.js';
import { ClusterRepository, type SealedSecret } from './cluster.repository.js';

/** What makes a client stale: new credentials, another server, any later change of the row. */
const versionOf = (c: Cluster) => `${c.credentialFingerprint}|${c.server}|${c.updatedAt.getTime()}`;

/**
 * The worker's clients of registered clusters, for rollouts and drift scans alike: one
 * `KubeClient` per cluster kept between jobs, over agents shared per endpoint and TLS identity
 * (libs/kube `KubeClientCache`). A hit costs no query and no decryption; `prime` fetches the
 * sealed credentials of the clusters that miss in one query.
 */
@Injectable()
export class ClusterClientsService implements OnModuleDestroy {
  private readonly cache: KubeClientCache;
  /** Credentials fetched by `prime`, used (once) by the next `clientOf` of that cluster. */
  private readonly sealed = new Map<string, SealedSecret>();

  constructor(
    private readonly clusters: ClusterRepository,
    private readonly credentials: ClusterCredentialsService,
    @Inject(FLEETGATE_CONFIG) config: FleetgateConfig,
  ) {
    this.cache = new KubeClientCache({ timeoutMs: config.clusterTimeoutMs, maxSockets: 32 });
  }

  /** Fetches, in one query, the credentials of the clusters that have no current client yet. */
  async prime(clusters: readonly Cluster[]): Promise<void> {
    const missing = clusters.filter((c) => !this.cache.has(c.id, versionOf(c)) && !this.sealed.has(c.id));
    if (missing.length === 0) return;
    for (const [id, s] of await this.clusters.sealedCredentialsOf(missing.map((c) => c.id))) this.sealed.set(id, s);
  }

  /** The client of a cluster, given its row (no lookup when cached and unchanged). */
  async clientOf(cluster: Cluster): Promise<KubeClient> {
    const version = versionOf(cluster);
    const hit = this.cache.get(cluster.id, version);
    if (hit) return hit;
    const sealed = this.sealed.get(cluster.id) ?? (await this.clusters.sealedCredentials(cluster.id));
    this.sealed.delete(cluster.id);
    if (!sealed) throw DomainError.notFound('Cluster', cluster.name);
    return this.cache.open(cluster.id, version, this.credentials.unseal(cluster.id, sealed));
  }

  onModuleDestroy(): void {
    this.cache.closeAll();
    this.sealed.clear();
  }
}
