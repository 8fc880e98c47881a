import { Injectable } from '@nestjs/common';
import type { Requirement } from '@fleetgate/netpol';
import { Prisma, PrismaService, mapPrismaError } from '../prisma/index.js';
import { selectorToSql } from '../selectors/index.js';
import type { Cluster, ClusterRole, HealthStatus } from './cluster.model.js';

const include = { seed: { select: { name: true } } } as const;
type Row = Prisma.ClusterGetPayload<{ include: typeof include }>;

function toCluster(row: Row): Cluster {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    seedId: row.seedId,
    seed: row.seed?.name ?? null,
    server: row.server,
    credentialFingerprint: row.credentialFingerprint,
    insecureSkipTLSVerify: row.insecureSkipTlsVerify,
    labels: (row.labels ?? {}) as Record<string, string>,
    networks: { pods: row.podsCidr, services: row.servicesCidr, nodes: row.nodesCidr },
    blockedCIDRs: row.blockedCidrs,
    controlPlaneNamespace: row.controlPlaneNamespace,
    health: {
      status: row.healthStatus,
      kubernetesVersion: row.kubernetesVersion,
      latencyMs: row.latencyMs,
      lastCheckedAt: row.lastCheckedAt,
      lastError: row.lastError,
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export interface SealedCredentials {
  ciphertext: string;
  keyId: string;
  fingerprint: string;
  server: string;
  insecureSkipTLSVerify: boolean;
}

/** The ciphertext of a cluster's credentials and the key it is sealed under. */
export type SealedSecret = Pick<SealedCredentials, 'ciphertext' | 'keyId'>;

export interface NewCluster {
  id: string;
  name: string;
  role: ClusterRole;
  seedId: string | null;
  controlPlaneNamespace: string | null;
  labels: Record<string, string>;
  networks: { pods?: string | undefined; services?: string | undefined; nodes?: string | undefined };
  blockedCIDRs: string[];
  credentials: SealedCredentials;
}

export interface ClusterChanges {
  labels?: Record<string, string> | undefined;
  networks?: { pods?: string | undefined; services?: string | undefined; nodes?: string | undefined } | undefined;
  blockedCIDRs?: string[] | undefined;
  controlPlaneNamespace?: string | undefined;
  credentials?: SealedCredentials | undefined;
}

export interface ClusterFilter {
  selector: readonly Requirement[];
  role?: ClusterRole | undefined;
  seedId?: string | undefined;
  /** name of the last cluster of the previous page (pages are ordered by name) */
  afterName?: string | undefined;
  take: number;
}

export interface HealthRecord {
  status: HealthStatus;
  kubernetesVersion: string | null;
  latencyMs: number | null;
  lastError: string | null;
  checkedAt: Date;
}

@Injectable()
export class ClusterRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(c: NewCluster): Promise<Cluster> {
    try {
      const row = await this.prisma.db.cluster.create({
        data: {
          id: c.id,
          name: c.name,
          role: c.role,
          seedId: c.seedId,
          controlPlaneNamespace: c.controlPlaneNamespace,
          labels: c.labels,
          podsCidr: c.networks.pods ?? null,
          servicesCidr: c.networks.services ?? null,
          nodesCidr: c.networks.nodes ?? null,
          blockedCidrs: c.blockedCIDRs,
          server: c.credentials.server,
          insecureSkipTlsVerify: c.credentials.insecureSkipTLSVerify,
          credentialCiphertext: c.credentials.ciphertext,
          credentialKeyId: c.credentials.keyId,
          credentialFingerprint: c.credentials.fingerprint,
        },
        include,
      });
      return toCluster(row);
    } catch (error) {
      mapPrismaError(error, `Cluster "${c.name}"`, ['name']);
    }
  }

  async update(id: string, ch: ClusterChanges): Promise<Cluster> {
    const data: Prisma.ClusterUncheckedUpdateInput = {};
    if (ch.labels !== undefined) data.labels = ch.labels;
    if (ch.networks !== undefined) {
      data.podsCidr = ch.networks.pods ?? null;
      data.servicesCidr = ch.networks.services ?? null;
      data.nodesCidr = ch.networks.nodes ?? null;
    }
    if (ch.blockedCIDRs !== undefined) data.blockedCidrs = ch.blockedCIDRs;
    if (ch.controlPlaneNamespace !== undefined) data.controlPlaneNamespace = ch.controlPlaneNamespace;
    if (ch.credentials !== undefined) {
      data.server = ch.credentials.server;
      data.insecureSkipTlsVerify = ch.credentials.insecureSkipTLSVerify;
      data.credentialCiphertext = ch.credentials.ciphertext;
      data.credentialKeyId = ch.credentials.keyId;
      data.credentialFingerprint = ch.credentials.fingerprint;
    }
    try {
      return toCluster(await this.prisma.db.cluster.update({ where: { id }, data, include }));
    } catch (error) {
      mapPrismaError(error, 'Cluster');
    }
  }

  async delete(id: string): Promise<void> {
    try {
      await this.prisma.db.cluster.delete({ where: { id } });
    } catch (error) {
      mapPrismaError(error, 'Cluster');
    }
  }

  async findById(id: string): Promise<Cluster | null> {
    const row = await this.prisma.db.cluster.findUnique({ where: { id }, include });
    return row ? toCluster(row) : null;
  }

  async findByName(name: string): Promise<Cluster | null> {
    const row = await this.prisma.db.cluster.findUnique({ where: { name }, include });
    return row ? toCluster(row) : null;
  }

  /** Locks the row for the rest of the transaction (seed deletion vs. concurrent registration). */
  async lock(id: string): Promise<void> {
    await this.prisma.db.$queryRaw`SELECT id FROM clusters WHERE id = ${id}::uuid FOR UPDATE`;
  }

  async findByIds(ids: readonly string[]): Promise<Cluster[]> {
    if (ids.length === 0) return [];
    const rows = await this.prisma.db.cluster.findMany({ where: { id: { in: [...ids] } }, include });
    return rows.map(toCluster);
  }

  /** User clusters of each seed, ordered by name. */
  async findBySeedIds(seedIds: readonly string[]): Promise<Cluster[]> {
    if (seedIds.length === 0) return [];
    const rows = await this.prisma.db.cluster.findMany({ where: { seedId: { in: [...seedIds] } }, include, orderBy: { name: 'asc' } });
    return rows.map(toCluster);
  }

  async userClusterNames(seedId: string): Promise<string[]> {
    const rows = await this.prisma.db.cluster.findMany({ where: { seedId }, select: { name: true }, orderBy: { name: 'asc' } });
    return rows.map((r) => r.name);
  }

  /** One page, ordered by name; the label selector runs in SQL on the JSONB column. */
  async list(filter: ClusterFilter): Promise<Cluster[]> {
    const where: Prisma.Sql[] = [selectorToSql(filter.selector, Prisma.sql`labels`)];
    if (filter.role) where.push(Prisma.sql`role = ${filter.role}::"ClusterRole"`);
    if (filter.seedId) where.push(Prisma.sql`seed_id = ${filter.seedId}::uuid`);
    if (filter.afterName !== undefined) where.push(Prisma.sql`name COLLATE "C" > ${filter.afterName}`);
    const ids = await this.prisma.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM clusters WHERE ${Prisma.join(where, ' AND ')} ORDER BY name COLLATE "C" ASC LIMIT ${filter.take}`;
    const found = await this.findByIds(ids.map((r) => r.id));
    const byId = new Map(found.map((c) => [c.id, c]));
    return ids.map((r) => byId.get(r.id)).filter((c): c is Cluster => c !== undefined);
  }

  /** Ids of the clusters a selector and role select, in name order. */
  async idsMatching(selector: readonly Requirement[], role: ClusterRole | null): Promise<string[]> {
    const where: Prisma.Sql[] = [selectorToSql(selector, Prisma.sql`labels`)];
    if (role) where.push(Prisma.sql`role = ${role}::"ClusterRole"`);
    const rows = await this.prisma.db.$queryRaw<{ id: string }[]>`SELECT id FROM clusters WHERE ${Prisma.join(where, ' AND ')} ORDER BY name COLLATE "C"`;
    return rows.map((r) => r.id);
  }

  /** Ids and names of the clusters with these names (unknown names are left out). */
  async idsNamed(names: readonly string[]): Promise<Array<{ id: string; name: string }>> {
    if (names.length === 0) return [];
    return this.prisma.db.$queryRaw<{ id: string; name: string }[]>`SELECT id, name FROM clusters WHERE name = ANY(${[...names]}::text[])`;
  }

  /** Ids and names of the clusters with these ids (unknown ids are left out). */
  async namesOf(ids: readonly string[]): Promise<Array<{ id: string; name: string }>> {
    if (ids.length === 0) return [];
    return this.prisma.db.$queryRaw<{ id: string; name: string }[]>`SELECT id, name FROM clusters WHERE id = ANY(${[...ids]}::uuid[])`;
  }

  async allIds(): Promise<string[]> {
    const rows = await this.prisma.db.cluster.findMany({ select: { id: true }, orderBy: { name: 'asc' } });
    return rows.map((r) => r.id);
  }

  async sealedCredentials(id: string): Promise<SealedSecret | null> {
    const row = await this.prisma.db.cluster.findUnique({ where: { id }, select: { credentialCiphertext: true, credentialKeyId: true } });
    return row ? { ciphertext: row.credentialCiphertext, keyId: row.credentialKeyId } : null;
  }

  /** Sealed credentials of many clusters in one query. */
  async sealedCredentialsOf(ids: readonly string[]): Promise<Map<string, SealedSecret>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.db.cluster.findMany({ where: { id: { in: [...ids] } }, select: { id: true, credentialCiphertext: true, credentialKeyId: true } });
    return new Map(rows.map((r) => [r.id, { ciphertext: r.credentialCiphertext, keyId: r.credentialKeyId }]));
  }

  /** Clusters whose credentials are sealed under another key than `keyId` (for rotation). */
  async idsNotSealedWith(keyId: string, take: number): Promise<{ id: string; ciphertext: string; keyId: string }[]> {
    const rows = await this.prisma.db.cluster.findMany({
      where: { credentialKeyId: { not: keyId } },
      select: { id: true, credentialCiphertext: true, credentialKeyId: true },
      take,
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => ({ id: r.id, ciphertext: r.credentialCiphertext, keyId: r.credentialKeyId }));
  }

  /** Compare-and-set re-seal: only if the row still holds the ciphertext that was read. */
  async reseal(id: string, from: string, to: { ciphertext: string; keyId: string }): Promise<boolean> {
    const r = await this.prisma.db.cluster.updateMany({
      where: { id, credentialCiphertext: from },
      data: { credentialCiphertext: to.ciphertext, credentialKeyId: to.keyId },
    });
    return r.count === 1;
  }

  async recordHealth(id: string, h: HealthRecord): Promise<Cluster | null> {
    const r = await this.prisma.db.cluster.updateMany({
      where: { id },
      data: {
        healthStatus: h.status,
        kubernetesVersion: h.kubernetesVersion,
        latencyMs: h.latencyMs,
        lastError: h.lastError,
        lastCheckedAt: h.checkedAt,
      },
    });
    return r.count === 1 ? this.findById(id) : null;
  }
}
