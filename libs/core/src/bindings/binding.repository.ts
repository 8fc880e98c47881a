import { Injectable } from '@nestjs/common';
import type { TemplateParameter } from '@fleetgate/netpol';
import { Prisma, PrismaService, mapPrismaError } from '../prisma/index.js';
import type { BindingPlacement } from '../desired-state/desired-state.builder.js';
import type { PolicyBinding } from './binding.model.js';

const include = { templateVersion: { select: { version: true, templateId: true, template: { select: { name: true } } } } } as const;
type Row = Prisma.PolicyBindingGetPayload<{ include: typeof include }>;
const factsInclude = { templateVersion: { include: { template: { select: { id: true, name: true, description: true } } } } } as const;
type FactsRow = Prisma.PolicyBindingGetPayload<{ include: typeof factsInclude }>;

const toBinding = (r: Row): PolicyBinding => ({
  id: r.id,
  name: r.name,
  description: r.description,
  templateId: r.templateVersion.templateId,
  template: r.templateVersion.template.name,
  templateVersionId: r.templateVersionId,
  version: r.templateVersion.version,
  clusterSelector: r.clusterSelector,
  clusterRole: r.clusterRole,
  placement: r.placement as unknown as BindingPlacement,
  gate: r.gateKey,
  parameters: (r.parameters ?? {}) as Record<string, unknown>,
  driftMode: r.driftMode,
  builtIn: r.builtIn,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** A binding with its template version's body: what the desired-state builder needs. */
export interface BindingWithVersion {
  binding: PolicyBinding;
  template: { id: string; name: string; description: string };
  version: { id: string; version: number; body: unknown; parameters: TemplateParameter[] };
}

export interface BindingData {
  name: string;
  description: string;
  templateVersionId: string;
  clusterSelector: string;
  clusterRole: 'seed' | 'user' | null;
  placement: BindingPlacement;
  gate: string | null;
  parameters: Record<string, unknown>;
  driftMode: 'enforce' | 'inform';
  builtIn: boolean;
}

function data(d: Omit<BindingData, 'name' | 'builtIn'>) {
  return {
    description: d.description,
    templateVersionId: d.templateVersionId,
    clusterSelector: d.clusterSelector,
    clusterRole: d.clusterRole,
    placement: d.placement as unknown as Prisma.InputJsonValue,
    gateKey: d.gate,
    parameters: d.parameters as Prisma.InputJsonValue,
    driftMode: d.driftMode,
  };
}

@Injectable()
export class BindingRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(d: BindingData): Promise<PolicyBinding> {
    try {
      return toBinding(await this.prisma.db.policyBinding.create({ data: { ...data(d), name: d.name, builtIn: d.builtIn }, include }));
    } catch (error) {
      mapPrismaError(error, `Binding "${d.name}"`, ['name']);
    }
  }

  async update(id: string, d: Omit<BindingData, 'name' | 'builtIn'>): Promise<PolicyBinding> {
    try {
      return toBinding(await this.prisma.db.policyBinding.update({ where: { id }, data: data(d), include }));
    } catch (error) {
      mapPrismaError(error, 'Binding');
    }
  }

  async delete(id: string): Promise<void> {
    try {
      await this.prisma.db.policyBinding.delete({ where: { id } });
    } catch (error) {
      mapPrismaError(error, 'Binding');
    }
  }

  async lock(id: string): Promise<void> {
    await this.prisma.db.$queryRaw`SELECT id FROM policy_bindings WHERE id = ${id}::uuid FOR UPDATE`;
  }

  async findById(id: string): Promise<PolicyBinding | null> {
    const r = await this.prisma.db.policyBinding.findUnique({ where: { id }, include });
    return r ? toBinding(r) : null;
  }

  async findByName(name: string): Promise<PolicyBinding | null> {
    const r = await this.prisma.db.policyBinding.findUnique({ where: { name }, include });
    return r ? toBinding(r) : null;
  }

  async list(afterName: string | undefined, take: number): Promise<PolicyBinding[]> {
    const rows = await this.prisma.db.policyBinding.findMany({ where: afterName === undefined ? {} : { name: { gt: afterName } }, orderBy: { name: 'asc' }, take, include });
    return rows.map(toBinding);
  }

  /** Every binding with its version body, in one query. */
  async allWithVersions(): Promise<BindingWithVersion[]> {
    const rows: FactsRow[] = await this.prisma.db.policyBinding.findMany({ include: factsInclude, orderBy: { name: 'asc' } });
    return rows.map((r) => ({
      binding: toBinding({ ...r, templateVersion: { version: r.templateVersion.version, templateId: r.templateVersion.templateId, template: { name: r.templateVersion.template.name } } }),
      template: r.templateVersion.template,
      version: { id: r.templateVersion.id, version: r.templateVersion.version, body: r.templateVersion.body, parameters: (r.templateVersion.parameters ?? []) as unknown as TemplateParameter[] },
    }));
  }

  /** Drift mode of every binding, by name (bindings are few). */
  async driftModes(): Promise<Map<string, 'enforce' | 'inform'>> {
    const rows = await this.prisma.db.policyBinding.findMany({ select: { name: true, driftMode: true } });
    return new Map(rows.map((r) => [r.name, r.driftMode]));
  }
}
