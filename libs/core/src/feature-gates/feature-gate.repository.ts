import { Injectable } from '@nestjs/common';
import type { Requirement } from '@fleetgate/netpol';
import { Prisma, PrismaService, mapPrismaError } from '../prisma/index.js';
import { selectorToSql } from '../selectors/index.js';
import type { FeatureGateDefinition, GateFleetRow, StoredGateValue } from './feature-gate.model.js';

type DefinitionRow = Prisma.FeatureGateGetPayload<object>;
type ValueRow = Prisma.ClusterFeatureGateGetPayload<object>;

const toDefinition = (r: DefinitionRow): FeatureGateDefinition => ({
  key: r.key,
  description: r.description,
  defaultValue: r.defaultValue,
  builtIn: r.builtIn,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const toValue = (r: ValueRow): StoredGateValue => ({
  clusterId: r.clusterId,
  key: r.key,
  enabled: r.enabled,
  source: r.source,
  since: r.since,
  rolloutId: r.rolloutId,
});

export interface GateFleetFilter {
  key: string;
  defaultValue: boolean;
  selector: readonly Requirement[];
  role?: 'seed' | 'user' | undefined;
  enabled?: boolean | undefined;
  afterName?: string | undefined;
  take: number;
}

@Injectable()
export class FeatureGateRepository {
  constructor(private readonly prisma: PrismaService) {}

  async listDefinitions(afterKey?: string, take?: number): Promise<FeatureGateDefinition[]> {
    const rows = await this.prisma.db.featureGate.findMany({
      where: afterKey === undefined ? {} : { key: { gt: afterKey } },
      orderBy: { key: 'asc' },
      ...(take === undefined ? {} : { take }),
    });
    return rows.map(toDefinition);
  }

  async findDefinition(key: string): Promise<FeatureGateDefinition | null> {
    const row = await this.prisma.db.featureGate.findUnique({ where: { key } });
    return row ? toDefinition(row) : null;
  }

  async existingKeys(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.prisma.db.featureGate.findMany({ where: { key: { in: [...keys] } }, select: { key: true } });
    return new Set(rows.map((r) => r.key));
  }

  async createDefinition(d: { key: string; description: string; defaultValue: boolean; builtIn: boolean }): Promise<FeatureGateDefinition> {
    try {
      return toDefinition(await this.prisma.db.featureGate.create({ data: d }));
    } catch (error) {
      mapPrismaError(error, `Feature gate "${d.key}"`, ['key']);
    }
  }

  /** Inserts the gates that do not exist yet; returns the keys inserted. */
  async insertMissing(gates: readonly { key: string; description: string; defaultValue: boolean }[]): Promise<string[]> {
    const existing = await this.existingKeys(gates.map((g) => g.key));
    const missing = gates.filter((g) => !existing.has(g.key));
    if (missing.length) await this.prisma.db.featureGate.createMany({ data: missing.map((g) => ({ ...g, builtIn: true })), skipDuplicates: true });
    return missing.map((g) => g.key);
  }

  async updateDescription(key: string, description: string): Promise<FeatureGateDefinition> {
    try {
      return toDefinition(await this.prisma.db.featureGate.update({ where: { key }, data: { description } }));
    } catch (error) {
      mapPrismaError(error, `Feature gate "${key}"`);
    }
  }

  async valuesOf(clusterIds: readonly string[]): Promise<StoredGateValue[]> {
    if (clusterIds.length === 0) return [];
    const rows = await this.prisma.db.clusterFeatureGate.findMany({ where: { clusterId: { in: [...clusterIds] } }, orderBy: [{ clusterId: 'asc' }, { key: 'asc' }] });
    return rows.map(toValue);
  }

  async insertValues(values: readonly StoredGateValue[]): Promise<void> {
    if (values.length === 0) return;
    await this.prisma.db.clusterFeatureGate.createMany({ data: values.map((v) => ({ ...v })) });
  }

  /** Sets one value (a rollout reached the cluster); returns the value before, if any. */
  async upsertValue(v: StoredGateValue): Promise<StoredGateValue | null> {
    const before = await this.prisma.db.clusterFeatureGate.findUnique({ where: { clusterId_key: { clusterId: v.clusterId, key: v.key } } });
    await this.prisma.db.clusterFeatureGate.upsert({
      where: { clusterId_key: { clusterId: v.clusterId, key: v.key } },
      create: { ...v },
      update: { enabled: v.enabled, source: v.source, since: v.since, rolloutId: v.rolloutId },
    });
    return before ? toValue(before) : null;
  }

  async defaultingTemplate(seedId: string): Promise<{ featureGates: Record<string, boolean>; updatedAt: Date; updatedBy: string } | null> {
    const row = await this.prisma.db.seedDefaultingTemplate.findUnique({ where: { seedId } });
    return row ? { featureGates: (row.featureGates ?? {}) as Record<string, boolean>, updatedAt: row.updatedAt, updatedBy: row.updatedBy } : null;
  }

  async putDefaultingTemplate(seedId: string, featureGates: Record<string, boolean>, updatedBy: string): Promise<{ updatedAt: Date }> {
    const row = await this.prisma.db.seedDefaultingTemplate.upsert({
      where: { seedId },
      create: { seedId, featureGates, updatedBy },
      update: { featureGates, updatedBy },
    });
    return { updatedAt: row.updatedAt };
  }

  async countUserClusters(seedId: string): Promise<number> {
    return this.prisma.db.cluster.count({ where: { seedId } });
  }

  private fleetWhere(f: GateFleetFilter, withEnabled: boolean, withAfter: boolean): Prisma.Sql {
    const effective = Prisma.sql`COALESCE(v.enabled, ${f.defaultValue})`;
    const where: Prisma.Sql[] = [selectorToSql(f.selector, Prisma.sql`c.labels`)];
    if (f.role) where.push(Prisma.sql`c.role = ${f.role}::"ClusterRole"`);
    if (withEnabled && f.enabled !== undefined) where.push(Prisma.sql`${effective} = ${f.enabled}`);
    if (withAfter && f.afterName !== undefined) where.push(Prisma.sql`c.name COLLATE "C" > ${f.afterName}`);
    return Prisma.join(where, ' AND ');
  }

  /** How many selected clusters have the gate on and off (effective values). */
  async fleetCounts(f: GateFleetFilter): Promise<{ on: number; off: number }> {
    const rows = await this.prisma.db.$queryRaw<{ on: bigint; off: bigint }[]>`
      SELECT COUNT(*) FILTER (WHERE COALESCE(v.enabled, ${f.defaultValue})) AS "on",
             COUNT(*) FILTER (WHERE NOT COALESCE(v.enabled, ${f.defaultValue})) AS "off"
      FROM clusters c LEFT JOIN cluster_feature_gates v ON v.cluster_id = c.id AND v.key = ${f.key}
      WHERE ${this.fleetWhere(f, false, false)}`;
    return { on: Number(rows[0]?.on ?? 0), off: Number(rows[0]?.off ?? 0) };
  }

  async fleetPage(f: GateFleetFilter): Promise<GateFleetRow[]> {
    const rows = await this.prisma.db.$queryRaw<{ id: string; name: string; role: 'seed' | 'user'; enabled: boolean; source: string | null; since: Date | null }[]>`
      SELECT c.id, c.name, c.role::text AS role, COALESCE(v.enabled, ${f.defaultValue}) AS enabled, v.source::text AS source, v.since
      FROM clusters c LEFT JOIN cluster_feature_gates v ON v.cluster_id = c.id AND v.key = ${f.key}
      WHERE ${this.fleetWhere(f, true, true)}
      ORDER BY c.name COLLATE "C" ASC LIMIT ${f.take}`;
    return rows.map((r) => ({
      clusterId: r.id,
      name: r.name,
      role: r.role,
      enabled: r.enabled,
      source: (r.source ?? 'default') as GateFleetRow['source'],
      since: r.since,
    }));
  }

  /** Sets gate values of many clusters (a rollout's targets that succeeded), source `explicit`. */
  async setExplicitValues(values: ReadonlyArray<{ clusterId: string; key: string; enabled: boolean; rolloutId: string }>): Promise<void> {
    if (values.length === 0) return;
    await this.prisma.db.$executeRaw`
      INSERT INTO cluster_feature_gates (cluster_id, key, enabled, source, since, rollout_id)
      SELECT v.cluster_id, v.key, v.enabled, 'explicit'::"GateValueSource", now(), v.rollout_id
      FROM jsonb_to_recordset(${JSON.stringify(values.map((v) => ({ cluster_id: v.clusterId, key: v.key, enabled: v.enabled, rollout_id: v.rolloutId })))}::jsonb)
        AS v(cluster_id uuid, key text, enabled boolean, rollout_id text)
      ON CONFLICT (cluster_id, key) DO UPDATE SET enabled = EXCLUDED.enabled, source = EXCLUDED.source, since = EXCLUDED.since, rollout_id = EXCLUDED.rollout_id`;
  }
}
