import { Injectable } from '@nestjs/common';
import { type JsonValue, type NetworkPolicy, type ParameterType, type TemplateError, type TemplateParameter, hash, renderTemplate } from '@fleetgate/netpol';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, assertRole } from '../auth/actor.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { isUuid } from '../clusters/cluster.schemas.js';
import { ClusterFactsService } from '../desired-state/cluster-facts.service.js';
import { type ClusterFacts, templateContext } from '../desired-state/desired-state.builder.js';
import { DomainError, DomainErrorCode, type FieldError, parseOrThrow } from '../errors/index.js';
import { listPageSchema, type ListPageInput } from '../feature-gates/feature-gate.schemas.js';
import { type Page, decodeCursor, pageSize, toPage } from '../pagination/index.js';
import { PrismaService } from '../prisma/index.js';
import type { PolicyTemplate, PolicyTemplateVersion } from './policy-template.model.js';
import { PolicyTemplateRepository } from './policy-template.repository.js';
import {
  type CreateTemplateInput,
  type PublishVersionInput,
  type RenderVersionInput,
  createTemplateSchema,
  publishVersionSchema,
  renderVersionSchema,
  versionNumber,
} from './policy-template.schemas.js';
import { type JsonChange, diffJson } from './version-diff.builder.js';

/** The facts a version is rendered against when it is published: a KKP-style user cluster. */
export const SAMPLE_CLUSTER: ClusterFacts = {
  id: '00000000-0000-4000-8000-000000000000',
  name: 'sample-user-cluster',
  role: 'user',
  labels: { env: 'sample' },
  networks: { pods: '172.25.0.0/16', services: '10.240.16.0/20', nodes: '192.168.1.0/24' },
  blockedCIDRs: [],
  controlPlaneNamespace: 'cluster-sample-user-cluster',
  seed: { id: '00000000-0000-4000-8000-000000000001', name: 'sample-seed', networks: { pods: '10.244.0.0/16', services: '10.96.0.0/12', nodes: '10.250.0.0/16' }, blockedCIDRs: ['169.254.169.254/32'] },
  gates: {},
};
export const SAMPLE_NAMESPACE = 'sample-namespace';

const SAMPLE_VALUES: Record<ParameterType, unknown> = {
  string: 'sample',
  int: 1,
  port: 8080,
  cidr: '10.0.0.0/24',
  cidrList: ['10.0.0.0/24'],
  labels: { app: 'sample' },
  namespaceName: 'sample',
};

/** Template errors as API field errors: `template…` is the body, `params.x` the given values. */
export function templateFieldErrors(errors: readonly TemplateError[], paramsField: string): FieldError[] {
  return errors.map((e) => {
    let field = e.field;
    if (field.startsWith('template')) field = `body${field.slice('template'.length)}`;
    else if (field.startsWith('params.')) field = `${paramsField}.${field.slice('params.'.length)}`;
    return { field, message: e.message };
  });
}

export interface RenderedPolicy {
  policy: NetworkPolicy;
  hash: string;
}

export interface VersionDiff {
  template: string;
  from: number;
  to: number;
  changelog: { version: number; changelog: string; author: string; createdAt: Date }[];
  body: JsonChange[];
  parameters: JsonChange[];
}

/** Policy templates and their immutable versions. */
@Injectable()
export class PolicyTemplateService {
  constructor(
    private readonly templates: PolicyTemplateRepository,
    private readonly clusters: ClusterRepository,
    private readonly facts: ClusterFactsService,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  async list(actor: Actor, input: ListPageInput = {}): Promise<Page<PolicyTemplate>> {
    assertRole(actor, 'viewer', 'Reading policy templates');
    const q = parseOrThrow(listPageSchema, input, 'query');
    const limit = pageSize(q.limit);
    const after = q.cursor ? decodeCursor(q.cursor, z.object({ name: z.string() })).name : undefined;
    return toPage(await this.templates.list(after, limit + 1), limit, (t) => ({ name: t.name }), (t) => t);
  }

  async get(actor: Actor, ref: string): Promise<PolicyTemplate> {
    assertRole(actor, 'viewer', 'Reading policy templates');
    return this.getRef(ref);
  }

  async create(actor: Actor, input: CreateTemplateInput): Promise<{ template: PolicyTemplate; version: PolicyTemplateVersion | null }> {
    assertRole(actor, 'admin', 'Creating policy templates');
    const data = parseOrThrow(createTemplateSchema, input, 'policy template');
    if (data.initialVersion) this.validateVersion(data.initialVersion, 'initialVersion.');
    return this.prisma.transaction(async () => {
      const template = await this.templates.create({ name: data.name, description: data.description, builtIn: false, pack: null });
      await this.audit.record(actor, 'template.create', `template/${template.name}`, { name: template.name, description: template.description });
      let version: PolicyTemplateVersion | null = null;
      if (data.initialVersion) version = await this.insertVersion(actor, template, data.initialVersion);
      return { template: (await this.templates.findById(template.id)) ?? template, version };
    });
  }

  /** Publishes the next version after rendering it against the sample cluster (422 with field errors otherwise). */
  async publish(actor: Actor, ref: string, input: PublishVersionInput): Promise<PolicyTemplateVersion> {
    assertRole(actor, 'admin', 'Publishing template versions');
    const data = parseOrThrow(publishVersionSchema, input, 'template version');
    this.validateVersion(data);
    return this.prisma.transaction(async () => {
      const template = await this.getRef(ref);
      return this.insertVersion(actor, template, data);
    });
  }

  async listVersions(actor: Actor, ref: string, input: ListPageInput = {}): Promise<Page<PolicyTemplateVersion>> {
    assertRole(actor, 'viewer', 'Reading policy templates');
    const q = parseOrThrow(listPageSchema, input, 'query');
    const limit = pageSize(q.limit);
    const before = q.cursor ? decodeCursor(q.cursor, z.object({ version: z.number().int() })).version : undefined;
    const template = await this.getRef(ref);
    return toPage(await this.templates.listVersions(template.id, before, limit + 1), limit, (v) => ({ version: v.version }), (v) => v);
  }

  async getVersion(actor: Actor, ref: string, version: number | string): Promise<PolicyTemplateVersion> {
    assertRole(actor, 'viewer', 'Reading policy templates');
    const template = await this.getRef(ref);
    return this.versionOf(template, version);
  }

  async diff(actor: Actor, ref: string, from: number | string, to: number | string): Promise<VersionDiff> {
    assertRole(actor, 'viewer', 'Reading policy templates');
    const template = await this.getRef(ref);
    const [a, b] = [await this.versionOf(template, from, 'from'), await this.versionOf(template, to, 'to')];
    const lo = Math.min(a.version, b.version);
    const hi = Math.max(a.version, b.version);
    const between = (await this.templates.listVersions(template.id, hi + 1, hi - lo)).filter((v) => v.version > lo);
    return {
      template: template.name,
      from: a.version,
      to: b.version,
      changelog: between.map((v) => ({ version: v.version, changelog: v.changelog, author: v.author, createdAt: v.createdAt })).reverse(),
      body: diffJson(a.body, b.body),
      parameters: diffJson(a.parameters, b.parameters),
    };
  }

  /** Versions are never edited; an unused one may be deleted, a used or built-in one never. */
  async deleteVersion(actor: Actor, ref: string, version: number | string): Promise<PolicyTemplateVersion> {
    assertRole(actor, 'admin', 'Deleting template versions');
    return this.prisma.transaction(async () => {
      const template = await this.getRef(ref);
      await this.templates.lock(template.id);
      const v = await this.versionOf(template, version);
      if (template.builtIn) throw new DomainError(DomainErrorCode.Conflict, `Version ${v.version} of built-in template "${template.name}" ships with fleetgate and cannot be deleted`);
      const usage = await this.templates.usage(v.id);
      if (usage.bindings.length > 0 || usage.assignedClusters > 0) {
        throw new DomainError(
          DomainErrorCode.Conflict,
          `Version ${v.version} of "${template.name}" is in use (${usage.bindings.length} binding(s), assigned on ${usage.assignedClusters} cluster(s)); versions in use are never deleted`,
          { details: { bindings: usage.bindings, assignedClusters: usage.assignedClusters } },
        );
      }
      await this.templates.deleteVersion(v.id);
      await this.audit.record(actor, 'template.version.delete', `template/${template.name}`, { version: v.version, changelog: v.changelog });
      return v;
    });
  }

  /** Renders a version for one cluster with the given values; nothing is stored. */
  async render(actor: Actor, ref: string, version: number | string, input: RenderVersionInput): Promise<{ cluster: string; namespace: string; items: RenderedPolicy[] }> {
    assertRole(actor, 'viewer', 'Rendering templates');
    const data = parseOrThrow(renderVersionSchema, input, 'render request');
    const template = await this.getRef(ref);
    const v = await this.versionOf(template, version);
    const cluster = isUuid(data.cluster) ? await this.clusters.findById(data.cluster.toLowerCase()) : await this.clusters.findByName(data.cluster);
    if (!cluster) throw DomainError.validation('Unknown cluster', [{ field: 'cluster', message: `no cluster "${data.cluster}"` }]);
    const [facts] = await this.facts.forClusters(actor, [cluster]);
    const namespace = data.namespace ?? cluster.controlPlaneNamespace ?? 'default';
    const result = renderTemplate({ name: template.name, description: template.description, policy: v.body }, templateContext(facts!, namespace, data.parameters), v.parameters);
    if (!result.ok) throw DomainError.invalidPolicy(`Version ${v.version} of "${template.name}" does not render for cluster "${cluster.name}"`, templateFieldErrors(result.errors, 'parameters'));
    return { cluster: cluster.name, namespace, items: result.policies.map((policy) => ({ policy, hash: hash(policy) })) };
  }

  /** Batch lookup (bindings and DataLoaders). */
  async versionsByIds(actor: Actor, ids: readonly string[]): Promise<PolicyTemplateVersion[]> {
    assertRole(actor, 'viewer', 'Reading policy templates');
    return this.templates.findVersionsByIds(ids);
  }

  /** The checks of publishing: declarations, then a render against the sample cluster. */
  validateVersion(data: { body: unknown; parameters: TemplateParameter[] | z.output<typeof publishVersionSchema>['parameters']; sampleParameters: Record<string, unknown> }, prefix = ''): void {
    const parameters = data.parameters as TemplateParameter[];
    const sample: Record<string, unknown> = { ...data.sampleParameters };
    for (const p of parameters) {
      if (sample[p.name] === undefined && (p.default === undefined || p.default === null) && p.required) sample[p.name] = SAMPLE_VALUES[p.type];
    }
    const result = renderTemplate({ name: 'version', description: '', policy: data.body as JsonValue }, templateContext(SAMPLE_CLUSTER, SAMPLE_NAMESPACE, sample), parameters);
    if (!result.ok) {
      const errors = templateFieldErrors(result.errors, 'sampleParameters').map((e) => ({ ...e, field: `${prefix}${e.field}` }));
      throw DomainError.invalidPolicy('The template version does not render to valid NetworkPolicies', errors);
    }
    if (result.policies.length === 0) {
      throw DomainError.invalidPolicy('The template version renders no NetworkPolicy for the sample cluster', [{ field: `${prefix}body`, message: 'renders nothing' }]);
    }
  }

  private async insertVersion(actor: Actor, template: PolicyTemplate, data: { body: unknown; parameters: unknown[]; changelog: string }): Promise<PolicyTemplateVersion> {
    await this.templates.lock(template.id);
    const latest = await this.templates.latestVersion(template.id);
    const version = await this.templates.insertVersion({
      templateId: template.id,
      version: (latest?.version ?? 0) + 1,
      body: data.body as JsonValue,
      parameters: data.parameters as TemplateParameter[],
      changelog: data.changelog,
      author: actor.name,
    });
    await this.audit.record(actor, 'template.version.publish', `template/${template.name}`, { version: version.version, changelog: version.changelog });
    return version;
  }

  private async versionOf(template: PolicyTemplate, version: number | string, field = 'version'): Promise<PolicyTemplateVersion> {
    const n = versionNumber.safeParse(version);
    if (!n.success) throw DomainError.validation('Invalid version', [{ field, message: 'must be a version number (1, 2, …)' }]);
    const v = await this.templates.findVersion(template.id, n.data);
    if (!v) throw DomainError.notFound(`Version ${n.data} of template`, template.name);
    return v;
  }

  private async getRef(ref: string): Promise<PolicyTemplate> {
    const t = isUuid(ref) ? await this.templates.findById(ref.toLowerCase()) : await this.templates.findByName(ref);
    if (!t) throw DomainError.notFound('Policy template', ref);
    return t;
  }
}
