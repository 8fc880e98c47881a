import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, assertRole } from '../auth/actor.js';
import { DomainError, DomainErrorCode, parseOrThrow } from '../errors/index.js';
import { type Page, decodeCursor, pageSize, toPage } from '../pagination/index.js';
import { FeatureGateService } from '../feature-gates/feature-gate.service.js';
import { PrismaService } from '../prisma/index.js';
import { parseLabelSelector } from '../selectors/index.js';
import { ClusterCredentialsService } from './cluster-credentials.service.js';
import type { Cluster } from './cluster.model.js';
import { type ClusterChanges, ClusterRepository } from './cluster.repository.js';
import {
  type ListClustersInput,
  type RegisterClusterInput,
  type UpdateClusterInput,
  isUuid,
  listClustersSchema,
  registerClusterSchema,
  updateClusterSchema,
} from './cluster.schemas.js';

const nameCursor = z.object({ name: z.string() });

/** The audit summary of a cluster: what was registered, never the credentials themselves. */
function describe(c: Cluster): Record<string, unknown> {
  return {
    name: c.name,
    role: c.role,
    seed: c.seed,
    server: c.server,
    credentialFingerprint: c.credentialFingerprint,
    insecureSkipTLSVerify: c.insecureSkipTLSVerify,
    labels: c.labels,
    networks: c.networks,
    blockedCIDRs: c.blockedCIDRs,
    controlPlaneNamespace: c.controlPlaneNamespace,
  };
}

/** The cluster registry: seeds and the user clusters whose control planes they host. */
@Injectable()
export class ClusterService {
  constructor(
    private readonly clusters: ClusterRepository,
    private readonly credentials: ClusterCredentialsService,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
    private readonly gates: FeatureGateService,
  ) {}

  async register(actor: Actor, input: RegisterClusterInput): Promise<Cluster> {
    assertRole(actor, 'admin', 'Registering clusters');
    const data = parseOrThrow(registerClusterSchema, input, 'cluster');
    const problems: { field: string; message: string }[] = [];
    if (data.role === 'seed') {
      if (data.seed) problems.push({ field: 'seed', message: 'a seed cluster has no seed' });
      if (data.controlPlaneNamespace) problems.push({ field: 'controlPlaneNamespace', message: 'only user clusters have a control-plane namespace' });
    } else {
      if (!data.seed) problems.push({ field: 'seed', message: 'is required for a user cluster' });
      if (data.blockedCIDRs.length > 0) problems.push({ field: 'blockedCIDRs', message: 'only seed clusters carry blocked CIDRs' });
      if (!data.controlPlaneNamespace && `cluster-${data.name}`.length > 63) {
        problems.push({ field: 'controlPlaneNamespace', message: `the default "cluster-${data.name}" is longer than 63 characters; give one` });
      }
    }
    if (problems.length > 0) throw DomainError.validation('Invalid cluster', problems);
    const { stored, connection } = this.credentials.toStored(data.credentials);
    if (connection.insecureSkipTLSVerify) assertRole(actor, 'admin', 'Turning off TLS verification');

    return this.prisma.transaction(async () => {
      let seedId: string | null = null;
      if (data.role === 'user' && data.seed) {
        const seed = await this.findRef(data.seed);
        if (!seed || seed.role !== 'seed') {
          throw DomainError.validation('Invalid cluster', [
            { field: 'seed', message: seed ? `"${data.seed}" is a user cluster, not a seed` : `no seed cluster "${data.seed}"` },
          ]);
        }
        await this.clusters.lock(seed.id);
        seedId = seed.id;
      }
      const id = randomUUID();
      const cluster = await this.clusters.create({
        id,
        name: data.name,
        role: data.role,
        seedId,
        controlPlaneNamespace: data.role === 'user' ? (data.controlPlaneNamespace ?? `cluster-${data.name}`) : null,
        labels: data.labels,
        networks: data.networks,
        blockedCIDRs: data.blockedCIDRs,
        credentials: this.credentials.seal(id, stored, connection),
      });
      const featureGates = await this.gates.initializeRegistration(cluster.id, seedId, data.featureGates, cluster.createdAt);
      await this.audit.record(actor, 'cluster.register', `cluster/${cluster.name}`, { ...describe(cluster), credentialsKind: stored.kind, featureGates });
      return cluster;
    });
  }

  async update(actor: Actor, ref: string, input: UpdateClusterInput): Promise<Cluster> {
    assertRole(actor, 'admin', 'Updating clusters');
    const data = parseOrThrow(updateClusterSchema, input, 'cluster update');
    return this.prisma.transaction(async () => {
      const current = await this.getRef(ref);
      const problems: { field: string; message: string }[] = [];
      if (current.role === 'seed' && data.controlPlaneNamespace !== undefined) {
        problems.push({ field: 'controlPlaneNamespace', message: 'only user clusters have a control-plane namespace' });
      }
      if (current.role === 'user' && data.blockedCIDRs !== undefined && data.blockedCIDRs.length > 0) {
        problems.push({ field: 'blockedCIDRs', message: 'only seed clusters carry blocked CIDRs' });
      }
      if (problems.length > 0) throw DomainError.validation('Invalid cluster update', problems);
      const changes: ClusterChanges = {
        labels: data.labels,
        networks: data.networks,
        blockedCIDRs: data.blockedCIDRs,
        controlPlaneNamespace: data.controlPlaneNamespace,
      };
      let credentialsKind: string | undefined;
      if (data.credentials) {
        const { stored, connection } = this.credentials.toStored(data.credentials);
        if (connection.insecureSkipTLSVerify) assertRole(actor, 'admin', 'Turning off TLS verification');
        changes.credentials = this.credentials.seal(current.id, stored, connection);
        credentialsKind = stored.kind;
      }
      const updated = await this.clusters.update(current.id, changes);
      const before = describe(current);
      const after = describe(updated);
      const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      await this.audit.record(actor, 'cluster.update', `cluster/${updated.name}`, {
        changed,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
        ...(credentialsKind ? { credentialsReplaced: true, credentialsKind } : {}),
      });
      return updated;
    });
  }

  async remove(actor: Actor, ref: string): Promise<Cluster> {
    assertRole(actor, 'admin', 'Deleting clusters');
    return this.prisma.transaction(async () => {
      const cluster = await this.getRef(ref);
      if (cluster.role === 'seed') {
        await this.clusters.lock(cluster.id);
        const users = await this.clusters.userClusterNames(cluster.id);
        if (users.length > 0) {
          throw new DomainError(
            DomainErrorCode.Conflict,
            `Seed "${cluster.name}" still hosts ${users.length} user cluster(s): ${users.join(', ')}; delete or move them first`,
            { details: { userClusters: users } },
          );
        }
      }
      await this.clusters.delete(cluster.id);
      await this.audit.record(actor, 'cluster.delete', `cluster/${cluster.name}`, describe(cluster));
      return cluster;
    });
  }

  async get(actor: Actor, ref: string): Promise<Cluster> {
    assertRole(actor, 'viewer', 'Reading clusters');
    return this.getRef(ref);
  }

  async find(actor: Actor, ref: string): Promise<Cluster | null> {
    assertRole(actor, 'viewer', 'Reading clusters');
    return this.findRef(ref);
  }

  async list(actor: Actor, input: ListClustersInput): Promise<Page<Cluster>> {
    assertRole(actor, 'viewer', 'Listing clusters');
    const q = parseOrThrow(listClustersSchema, input, 'query');
    const limit = pageSize(q.limit);
    const selector = parseLabelSelector(q.labelSelector);
    const after = q.cursor ? decodeCursor(q.cursor, nameCursor).name : undefined;
    let seedId: string | undefined;
    if (q.seed) {
      const seed = await this.findRef(q.seed);
      if (!seed) return { items: [], nextCursor: null };
      seedId = seed.id;
    }
    const rows = await this.clusters.list({ selector, role: q.role, seedId, afterName: after, take: limit + 1 });
    return toPage(rows, limit, (c) => ({ name: c.name }), (c) => c);
  }

  /** Batch lookups for per-request DataLoaders (GraphQL `seed` and `userClusters`). */
  async getMany(actor: Actor, ids: readonly string[]): Promise<Cluster[]> {
    assertRole(actor, 'viewer', 'Reading clusters');
    return this.clusters.findByIds(ids);
  }

  async userClustersOf(actor: Actor, seedIds: readonly string[]): Promise<Cluster[]> {
    assertRole(actor, 'viewer', 'Reading clusters');
    return this.clusters.findBySeedIds(seedIds);
  }

  private findRef(ref: string): Promise<Cluster | null> {
    return isUuid(ref) ? this.clusters.findById(ref.toLowerCase()) : this.clusters.findByName(ref);
  }

  private async getRef(ref: string): Promise<Cluster> {
    const c = await this.findRef(ref);
    if (!c) throw DomainError.notFound('Cluster', ref);
    return c;
  }
}
