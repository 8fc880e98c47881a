import { Inject, Injectable, Logger } from '@nestjs/common';
import { KubeApiError, type KubeApiErrorKind, KubeClient } from '@fleetgate/kube';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, assertRole } from '../auth/actor.js';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { DomainError } from '../errors/index.js';
import { PrismaService } from '../prisma/index.js';
import { isUuid } from './cluster.schemas.js';
import { ClusterCredentialsService } from './cluster-credentials.service.js';
import type { Cluster, HealthStatus } from './cluster.model.js';
import { ClusterRepository, type HealthRecord } from './cluster.repository.js';

const statusOf: Partial<Record<KubeApiErrorKind, HealthStatus>> = {
  unreachable: 'unreachable',
  'connection-reset': 'unreachable',
  timeout: 'timeout',
  tls: 'tls_error',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
};

/**
 * Health probes: GET /version with the cluster's own credentials. Unreachable, timeout, TLS,
 * 401 and 403 are recorded as distinct statuses, with the error message (never credentials).
 */
@Injectable()
export class ClusterProbeService {
  private readonly logger = new Logger(ClusterProbeService.name);

  constructor(
    private readonly clusters: ClusterRepository,
    private readonly credentials: ClusterCredentialsService,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {}

  /** An operator asks for a probe now: recorded, and audited as a mutation of the health record. */
  async probe(actor: Actor, ref: string): Promise<Cluster> {
    assertRole(actor, 'operator', 'Probing clusters');
    const cluster = isUuid(ref) ? await this.clusters.findById(ref.toLowerCase()) : await this.clusters.findByName(ref);
    if (!cluster) throw DomainError.notFound('Cluster', ref);
    const health = await this.check(cluster.id);
    return this.prisma.transaction(async () => {
      const updated = await this.clusters.recordHealth(cluster.id, health);
      if (!updated) throw DomainError.notFound('Cluster', ref);
      await this.audit.record(actor, 'cluster.probe', `cluster/${cluster.name}`, {
        status: health.status,
        kubernetesVersion: health.kubernetesVersion,
        latencyMs: health.latencyMs,
        lastError: health.lastError,
      });
      return updated;
    });
  }

  /** The worker's scheduled probe of one cluster (not audited: it changes no decision). */
  async probeById(actor: Actor, id: string): Promise<HealthRecord | null> {
    assertRole(actor, 'operator', 'Probing clusters');
    const health = await this.check(id);
    const updated = await this.clusters.recordHealth(id, health);
    return updated ? health : null;
  }

  async allClusterIds(actor: Actor): Promise<string[]> {
    assertRole(actor, 'viewer', 'Listing clusters');
    return this.clusters.allIds();
  }

  private async check(id: string): Promise<HealthRecord> {
    const sealed = await this.clusters.sealedCredentials(id);
    const checkedAt = new Date();
    if (!sealed) return { status: 'error', kubernetesVersion: null, latencyMs: null, lastError: 'cluster not found', checkedAt };
    const connection = this.credentials.unseal(id, sealed);
    const client = new KubeClient(connection, { timeoutMs: this.config.clusterTimeoutMs, maxSockets: 1 });
    const started = performance.now();
    try {
      const version = await client.version();
      return {
        status: 'healthy',
        kubernetesVersion: version.gitVersion,
        latencyMs: Math.round(performance.now() - started),
        lastError: null,
        checkedAt,
      };
    } catch (error) {
      const latencyMs = Math.round(performance.now() - started);
      if (error instanceof KubeApiError) {
        return { status: statusOf[error.kind] ?? 'error', kubernetesVersion: null, latencyMs, lastError: `${error.kind}: ${error.message}`, checkedAt };
      }
      this.logger.warn(`probe of cluster ${id} failed unexpectedly: ${(error as Error).message}`);
      return { status: 'error', kubernetesVersion: null, latencyMs, lastError: (error as Error).message, checkedAt };
    } finally {
      client.close();
    }
  }
}
