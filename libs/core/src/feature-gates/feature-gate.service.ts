import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, assertRole } from '../auth/actor.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { isUuid } from '../clusters/cluster.schemas.js';
import { DomainError, DomainErrorCode, parseOrThrow } from '../errors/index.js';
import { type Page, decodeCursor, pageSize, toPage } from '../pagination/index.js';
import { PrismaService } from '../prisma/index.js';
import { parseLabelSelector } from '../selectors/index.js';
import {
  type DefaultingTemplate,
  type EffectiveGate,
  type FeatureGateDefinition,
  type GateFleetRow,
  effectiveGates,
} from './feature-gate.model.js';
import { FeatureGateRepository } from './feature-gate.repository.js';
import {
  type CreateFeatureGateInput,
  type GateFleetQuery,
  type ListPageInput,
  type PutDefaultingTemplateInput,
  type UpdateFeatureGateInput,
  applyAssignedGateSchema,
  createFeatureGateSchema,
  gateFleetQuerySchema,
  gateValuesSchema,
  listPageSchema,
  putDefaultingTemplateSchema,
  updateFeatureGateSchema,
} from './feature-gate.schemas.js';

export const DEFAULTING_TEMPLATE_APPLIES_TO = 'clusters registered from now on';

export interface DefaultingTemplateChange extends DefaultingTemplate {
  appliesTo: typeof DEFAULTING_TEMPLATE_APPLIES_TO;
  /** user clusters of the seed that exist now and keep their values */
  existingUserClustersUnchanged: number;
}

export interface GateFleetView {
  gate: FeatureGateDefinition;
  counts: { on: number; off: number; total: number };
  items: GateFleetRow[];
  nextCursor: string | null;
}

/**
 * Feature gates: definitions, each cluster's values (KKP `spec.features`) and a seed's defaulting
 * template. Values on existing clusters change only through rollouts (`applyAssigned`).
 */
@Injectable()
export class FeatureGateService {
  constructor(
    private readonly gates: FeatureGateRepository,
    private readonly clusters: ClusterRepository,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  async listDefinitions(actor: Actor, input: ListPageInput = {}): Promise<Page<FeatureGateDefinition>> {
    assertRole(actor, 'viewer', 'Reading feature gates');
    const q = parseOrThrow(listPageSchema, input, 'query');
    const limit = pageSize(q.limit);
    const after = q.cursor ? decodeCursor(q.cursor, z.object({ key: z.string() })).key : undefined;
    return toPage(await this.gates.listDefinitions(after, limit + 1), limit, (g) => ({ key: g.key }), (g) => g);
  }

  async getDefinition(actor: Actor, key: string): Promise<FeatureGateDefinition> {
    assertRole(actor, 'viewer', 'Reading feature gates');
    const gate = await this.gates.findDefinition(key);
    if (!gate) throw DomainError.notFound('Feature gate', key);
    return gate;
  }

  async createDefinition(actor: Actor, input: CreateFeatureGateInput): Promise<FeatureGateDefinition> {
    assertRole(actor, 'admin', 'Defining feature gates');
    const data = parseOrThrow(createFeatureGateSchema, input, 'feature gate');
    return this.prisma.transaction(async () => {
      const gate = await this.gates.createDefinition({ key: data.key, description: data.description, defaultValue: data.default, builtIn: false });
      await this.audit.record(actor, 'feature-gate.create', `feature-gate/${gate.key}`, { key: gate.key, description: gate.description, default: gate.defaultValue });
      return gate;
    });
  }

  async updateDefinition(actor: Actor, key: string, input: UpdateFeatureGateInput): Promise<FeatureGateDefinition> {
    assertRole(actor, 'admin', 'Changing feature gates');
    const data = parseOrThrow(updateFeatureGateSchema, input, 'feature gate update');
    return this.prisma.transaction(async () => {
      const before = await this.getDefinition(actor, key);
      const gate = await this.gates.updateDescription(key, data.description);
      await this.audit.record(actor, 'feature-gate.update', `feature-gate/${key}`, { before: { description: before.description }, after: { description: gate.description } });
      return gate;
    });
  }

  /** Every defined gate with the cluster's effective value and its source. */
  async forCluster(actor: Actor, clusterRef: string): Promise<{ cluster: Cluster; items: EffectiveGate[] }> {
    assertRole(actor, 'viewer', 'Reading feature gates');
    const cluster = await this.clusterRef(clusterRef);
    return { cluster, items: (await this.forClusterIds(actor, [cluster.id])).get(cluster.id) ?? [] };
  }

  /** Batch form (DataLoaders, desired state): two queries whatever the number of clusters. */
  async forClusterIds(actor: Actor, clusterIds: readonly string[]): Promise<Map<string, EffectiveGate[]>> {
    assertRole(actor, 'viewer', 'Reading feature gates');
    const [definitions, values] = await Promise.all([this.gates.listDefinitions(), this.gates.valuesOf(clusterIds)]);
    const byCluster = new Map<string, typeof values>();
    for (const v of values) byCluster.set(v.clusterId, [...(byCluster.get(v.clusterId) ?? []), v]);
    return new Map(clusterIds.map((id) => [id, effectiveGates(definitions, byCluster.get(id) ?? [])]));
  }

  async getDefaultingTemplate(actor: Actor, seedRef: string): Promise<DefaultingTemplate> {
    assertRole(actor, 'viewer', 'Reading defaulting templates');
    const seed = await this.seedRef(seedRef);
    const t = await this.gates.defaultingTemplate(seed.id);
    return { seedId: seed.id, seed: seed.name, featureGates: t?.featureGates ?? {}, updatedAt: t?.updatedAt ?? null, updatedBy: t?.updatedBy ?? null };
  }

  /**
   * Replaces a seed's defaulting template. As in KKP, it is copied onto user clusters registered
   * later; existing clusters keep their values, and the answer says how many that are.
   */
  async putDefaultingTemplate(actor: Actor, seedRef: string, input: PutDefaultingTemplateInput): Promise<DefaultingTemplateChange> {
    assertRole(actor, 'admin', 'Changing defaulting templates');
    const data = parseOrThrow(putDefaultingTemplateSchema, input, 'defaulting template');
    return this.prisma.transaction(async () => {
      const seed = await this.seedRef(seedRef);
      await this.assertKnownKeys(Object.keys(data.featureGates), 'featureGates');
      await this.clusters.lock(seed.id);
      const before = await this.gates.defaultingTemplate(seed.id);
      const featureGates = Object.fromEntries(Object.entries(data.featureGates).sort(([a], [b]) => (a < b ? -1 : 1)));
      const { updatedAt } = await this.gates.putDefaultingTemplate(seed.id, featureGates, actor.name);
      const unchanged = await this.gates.countUserClusters(seed.id);
      await this.audit.record(actor, 'seed.defaulting-template.update', `cluster/${seed.name}`, {
        before: before?.featureGates ?? {},
        after: featureGates,
        appliesTo: DEFAULTING_TEMPLATE_APPLIES_TO,
        existingUserClustersUnchanged: unchanged,
      });
      return {
        seedId: seed.id,
        seed: seed.name,
        featureGates,
        updatedAt,
        updatedBy: actor.name,
        appliesTo: DEFAULTING_TEMPLATE_APPLIES_TO,
        existingUserClustersUnchanged: unchanged,
      };
    });
  }

  /** For a gate: how many selected clusters have it on and off, and one page of them. */
  async fleetView(actor: Actor, key: string, input: GateFleetQuery): Promise<GateFleetView> {
    assertRole(actor, 'viewer', 'Reading feature gates');
    const q = parseOrThrow(gateFleetQuerySchema, input, 'query');
    const gate = await this.getDefinition(actor, key);
    const limit = pageSize(q.limit);
    const selector = parseLabelSelector(q.labelSelector);
    const after = q.cursor ? decodeCursor(q.cursor, z.object({ name: z.string() })).name : undefined;
    const filter = { key, defaultValue: gate.defaultValue, selector, role: q.role, enabled: q.enabled, afterName: after, take: limit + 1 };
    const [counts, rows] = await Promise.all([this.gates.fleetCounts(filter), this.gates.fleetPage(filter)]);
    const page = toPage(rows, limit, (r) => ({ name: r.name }), (r) => r);
    return { gate, counts: { ...counts, total: counts.on + counts.off }, ...page };
  }

  /**
   * Called by the rollout worker when a target succeeded: the cluster now has this value. The
   * value's source becomes `explicit`, with the rollout and the time. Audited.
   */
  async applyAssigned(actor: Actor, clusterId: string, key: string, enabled: boolean, rolloutId: string): Promise<EffectiveGate> {
    assertRole(actor, 'operator', 'Setting gate values');
    const data = parseOrThrow(applyAssignedGateSchema, { clusterId, key, enabled, rolloutId }, 'gate value');
    return this.prisma.transaction(async () => {
      const cluster = await this.clusters.findById(data.clusterId);
      if (!cluster) throw DomainError.notFound('Cluster', data.clusterId);
      await this.assertKnownKeys([data.key], 'key');
      const since = new Date();
      const before = await this.gates.upsertValue({ clusterId: cluster.id, key: data.key, enabled: data.enabled, source: 'explicit', since, rolloutId: data.rolloutId });
      await this.audit.record(actor, 'cluster.feature-gate.assign', `cluster/${cluster.name}`, {
        key: data.key,
        before: before ? { enabled: before.enabled, source: before.source } : null,
        after: { enabled: data.enabled, source: 'explicit' },
        rolloutId: data.rolloutId,
      });
      return { key: data.key, enabled: data.enabled, source: 'explicit', since, rolloutId: data.rolloutId };
    });
  }

  /**
   * The values a cluster starts with, written in the registration's transaction: the explicit
   * ones given, then, for a user cluster, every other gate its seed's defaulting template sets.
   * Returns what was stored (for the registration's audit event).
   */
  async initializeRegistration(clusterId: string, seedId: string | null, explicit: unknown, registeredAt: Date): Promise<Record<string, { enabled: boolean; source: 'explicit' | 'seedTemplate' }>> {
    const given = parseOrThrow(gateValuesSchema, explicit ?? {}, 'cluster', 'featureGates');
    await this.assertKnownKeys(Object.keys(given), 'featureGates');
    const out: Record<string, { enabled: boolean; source: 'explicit' | 'seedTemplate' }> = {};
    for (const [key, enabled] of Object.entries(given)) out[key] = { enabled, source: 'explicit' };
    if (seedId) {
      const template = await this.gates.defaultingTemplate(seedId);
      const known = await this.gates.existingKeys(Object.keys(template?.featureGates ?? {}));
      for (const [key, enabled] of Object.entries(template?.featureGates ?? {})) {
        if (!(key in out) && known.has(key)) out[key] = { enabled, source: 'seedTemplate' };
      }
    }
    await this.gates.insertValues(
      Object.entries(out).map(([key, v]) => ({ clusterId, key, enabled: v.enabled, source: v.source, since: registeredAt, rolloutId: null })),
    );
    return out;
  }

  private async assertKnownKeys(keys: readonly string[], field: string): Promise<void> {
    const known = await this.gates.existingKeys(keys);
    const unknown = keys.filter((k) => !known.has(k));
    if (unknown.length) {
      throw DomainError.validation('Unknown feature gate', unknown.map((k) => ({ field: field === 'key' ? field : `${field}.${k}`, message: `no feature gate "${k}" is defined` })));
    }
  }

  private async clusterRef(ref: string): Promise<Cluster> {
    const c = isUuid(ref) ? await this.clusters.findById(ref.toLowerCase()) : await this.clusters.findByName(ref);
    if (!c) throw DomainError.notFound('Cluster', ref);
    return c;
  }

  private async seedRef(ref: string): Promise<Cluster> {
    const c = await this.clusterRef(ref);
    if (c.role !== 'seed') throw new DomainError(DomainErrorCode.ValidationFailed, `"${c.name}" is a user cluster; defaulting templates belong to seeds`, { errors: [{ field: 'seed', message: 'must be a seed cluster' }] });
    return c;
  }
}

