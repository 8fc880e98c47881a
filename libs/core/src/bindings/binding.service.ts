import { Injectable } from '@nestjs/common';
import { type Requirement, resolveParameters, validateLabelSelector } from '@fleetgate/netpol';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, assertRole } from '../auth/actor.js';
import { isUuid } from '../clusters/cluster.schemas.js';
import type { BindingFacts, BindingPlacement } from '../desired-state/desired-state.builder.js';
import { DesiredStateService, bindingFacts } from '../desired-state/desired-state.service.js';
import { DomainError, type FieldError, parseOrThrow } from '../errors/index.js';
import { FeatureGateRepository } from '../feature-gates/feature-gate.repository.js';
import { type ListPageInput, listPageSchema } from '../feature-gates/feature-gate.schemas.js';
import { type Page, decodeCursor, pageSize, toPage } from '../pagination/index.js';
import { PolicyTemplateRepository } from '../policy-templates/policy-template.repository.js';
import type { PolicyTemplate, PolicyTemplateVersion } from '../policy-templates/policy-template.model.js';
import { PrismaService } from '../prisma/index.js';
import { parseLabelSelector } from '../selectors/index.js';
import type { BindingChange, PolicyBinding } from './binding.model.js';
import { type BindingData, BindingRepository } from './binding.repository.js';
import { type CreateBindingInput, type UpdateBindingInput, createBindingSchema, updateBindingSchema } from './binding.schemas.js';

interface Resolved {
  data: Omit<BindingData, 'name' | 'builtIn'>;
  facts: Omit<BindingFacts, 'id' | 'name'>;
}

function describe(b: PolicyBinding): Record<string, unknown> {
  return {
    name: b.name,
    template: b.template,
    version: b.version,
    clusterSelector: b.clusterSelector,
    clusterRole: b.clusterRole,
    placement: b.placement,
    gate: b.gate,
    parameters: b.parameters,
    driftMode: b.driftMode,
  };
}

/**
 * Bindings: which template version goes to which clusters, where, under which gate. Every change
 * answers with the clusters whose desired state it changes; the rollout carries it out.
 */
@Injectable()
export class BindingService {
  constructor(
    private readonly bindings: BindingRepository,
    private readonly templates: PolicyTemplateRepository,
    private readonly gates: FeatureGateRepository,
    private readonly desired: DesiredStateService,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  async list(actor: Actor, input: ListPageInput = {}): Promise<Page<PolicyBinding>> {
    assertRole(actor, 'viewer', 'Reading bindings');
    const q = parseOrThrow(listPageSchema, input, 'query');
    const limit = pageSize(q.limit);
    const after = q.cursor ? decodeCursor(q.cursor, z.object({ name: z.string() })).name : undefined;
    return toPage(await this.bindings.list(after, limit + 1), limit, (b) => ({ name: b.name }), (b) => b);
  }

  async get(actor: Actor, ref: string): Promise<PolicyBinding> {
    assertRole(actor, 'viewer', 'Reading bindings');
    return this.getRef(ref);
  }

  async create(actor: Actor, input: CreateBindingInput, options: { builtIn?: boolean } = {}): Promise<BindingChange> {
    assertRole(actor, 'admin', 'Creating bindings');
    const data = parseOrThrow(createBindingSchema, input, 'binding');
    return this.prisma.transaction(async () => {
      const resolved = await this.resolve(data);
      const before = (await this.bindings.allWithVersions()).map(bindingFacts);
      const binding = await this.bindings.create({ ...resolved.data, name: data.name, builtIn: options.builtIn ?? false });
      const facts: BindingFacts = { ...resolved.facts, id: binding.id, name: binding.name };
      const affectedClusters = await this.desired.affected(actor, before, [...before, facts], [facts]);
      await this.audit.record(actor, 'binding.create', `binding/${binding.name}`, { ...describe(binding), affectedClusters: affectedClusters.count });
      return { binding, affectedClusters };
    });
  }

  async update(actor: Actor, ref: string, input: UpdateBindingInput): Promise<BindingChange> {
    assertRole(actor, 'admin', 'Changing bindings');
    const patch = parseOrThrow(updateBindingSchema, input, 'binding update');
    return this.prisma.transaction(async () => {
      const current = await this.getRef(ref);
      await this.bindings.lock(current.id);
      const merged = {
        description: patch.description ?? current.description,
        template: patch.template ?? current.templateId,
        version: patch.version ?? current.version,
        clusterSelector: patch.clusterSelector ?? current.clusterSelector,
        clusterRole: patch.clusterRole === undefined ? current.clusterRole : patch.clusterRole,
        placement: patch.placement ?? current.placement,
        gate: patch.gate === undefined ? current.gate : patch.gate,
        parameters: patch.parameters ?? current.parameters,
        driftMode: patch.driftMode ?? current.driftMode,
      };
      const resolved = await this.resolve(merged);
      const before = (await this.bindings.allWithVersions()).map(bindingFacts);
      const old = before.find((b) => b.id === current.id);
      const updated = await this.bindings.update(current.id, resolved.data);
      const facts: BindingFacts = { ...resolved.facts, id: updated.id, name: updated.name };
      const after = before.map((b) => (b.id === current.id ? facts : b));
      const affectedClusters = await this.desired.affected(actor, before, after, old ? [old, facts] : [facts]);
      const was = describe(current);
      const now = describe(updated);
      const changed = Object.keys(now).filter((k) => JSON.stringify(was[k]) !== JSON.stringify(now[k]));
      await this.audit.record(actor, 'binding.update', `binding/${updated.name}`, {
        changed,
        before: Object.fromEntries(changed.map((k) => [k, was[k]])),
        after: Object.fromEntries(changed.map((k) => [k, now[k]])),
        affectedClusters: affectedClusters.count,
      });
      return { binding: updated, affectedClusters };
    });
  }

  async remove(actor: Actor, ref: string): Promise<BindingChange> {
    assertRole(actor, 'admin', 'Deleting bindings');
    return this.prisma.transaction(async () => {
      const binding = await this.getRef(ref);
      await this.bindings.lock(binding.id);
      const before = (await this.bindings.allWithVersions()).map(bindingFacts);
      const old = before.find((b) => b.id === binding.id);
      await this.bindings.delete(binding.id);
      const affectedClusters = await this.desired.affected(
        actor,
        before,
        before.filter((b) => b.id !== binding.id),
        old ? [old] : [],
      );
      await this.audit.record(actor, 'binding.delete', `binding/${binding.name}`, { ...describe(binding), affectedClusters: affectedClusters.count });
      return { binding, affectedClusters };
    });
  }

  /** Checks references and types; every problem is reported with its field. */
  private async resolve(input: {
    description: string;
    template: string;
    version: number;
    clusterSelector: string;
    clusterRole: 'seed' | 'user' | null;
    placement: BindingPlacement;
    gate: string | null;
    parameters: Record<string, unknown>;
    driftMode: 'enforce' | 'inform';
  }): Promise<Resolved> {
    const problems: FieldError[] = [];
    let selector: Requirement[] = [];
    try {
      selector = parseLabelSelector(input.clusterSelector, 'clusterSelector');
    } catch (error) {
      if (error instanceof DomainError) problems.push(...error.errors);
      else throw error;
    }
    if (input.placement.kind === 'namespaces') {
      (input.placement.selectors ?? []).forEach((sel, i) => {
        for (const e of validateLabelSelector(sel, `placement.selectors[${i}]`)) problems.push({ field: e.field, message: e.message });
      });
    } else if (input.clusterRole !== 'user') {
      problems.push({ field: 'clusterRole', message: 'must be "user" for a controlPlaneNamespace placement (only user clusters have a control plane on a seed)' });
    }
    if (input.gate !== null && !(await this.gates.findDefinition(input.gate))) problems.push({ field: 'gate', message: `no feature gate "${input.gate}" is defined` });
    const template: PolicyTemplate | null = isUuid(input.template) ? await this.templates.findById(input.template.toLowerCase()) : await this.templates.findByName(input.template);
    let version: PolicyTemplateVersion | null = null;
    if (!template) problems.push({ field: 'template', message: `no policy template "${input.template}"` });
    else {
      version = await this.templates.findVersion(template.id, input.version);
      if (!version) problems.push({ field: 'version', message: `template "${template.name}" has no version ${input.version} (latest: ${template.latestVersion ?? 'none'})` });
    }
    if (version) {
      const { errors } = resolveParameters(version.parameters, input.parameters);
      for (const e of errors) problems.push({ field: `parameters${e.field.slice('params'.length)}`, message: e.message });
    }
    if (problems.length > 0 || !template || !version) throw DomainError.validation('Invalid binding', problems);
    return {
      data: {
        description: input.description,
        templateVersionId: version.id,
        clusterSelector: input.clusterSelector,
        clusterRole: input.clusterRole,
        placement: input.placement,
        gate: input.gate,
        parameters: input.parameters,
        driftMode: input.driftMode,
      },
      facts: {
        template: { id: template.id, name: template.name, description: template.description },
        version: { id: version.id, version: version.version, body: version.body, parameters: version.parameters },
        clusterSelector: selector,
        clusterRole: input.clusterRole,
        placement: input.placement,
        gate: input.gate,
        parameters: input.parameters,
        driftMode: input.driftMode,
      },
    };
  }

  private async getRef(ref: string): Promise<PolicyBinding> {
    const b = isUuid(ref) ? await this.bindings.findById(ref.toLowerCase()) : await this.bindings.findByName(ref);
    if (!b) throw DomainError.notFound('Binding', ref);
    return b;
  }
}
