import { Injectable } from '@nestjs/common';
import type { JsonValue, TemplateParameter } from '@fleetgate/netpol';
import { Prisma, PrismaService, mapPrismaError } from '../prisma/index.js';
import type { PolicyTemplate, PolicyTemplateVersion, VersionUsage } from './policy-template.model.js';

const withLatest = { versions: { select: { version: true }, orderBy: { version: 'desc' }, take: 1 } } as const;
type TemplateRow = Prisma.PolicyTemplateGetPayload<{ include: typeof withLatest }>;
const versionInclude = { template: { select: { name: true } } } as const;
type VersionRow = Prisma.PolicyTemplateVersionGetPayload<{ include: typeof versionInclude }>;

const toTemplate = (r: TemplateRow): PolicyTemplate => ({
  id: r.id,
  name: r.name,
  description: r.description,
  builtIn: r.builtIn,
  pack: r.pack,
  latestVersion: r.versions[0]?.version ?? null,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export const toTemplateVersion = (r: VersionRow): PolicyTemplateVersion => ({
  id: r.id,
  templateId: r.templateId,
  template: r.template.name,
  version: r.version,
  body: r.body as JsonValue,
  parameters: (r.parameters ?? []) as unknown as TemplateParameter[],
  changelog: r.changelog,
  author: r.author,
  createdAt: r.createdAt,
});

export interface NewVersion {
  templateId: string;
  body: JsonValue;
  parameters: TemplateParameter[];
  changelog: string;
  author: string;
}

@Injectable()
export class PolicyTemplateRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(t: { name: string; description: string; builtIn: boolean; pack: string | null }): Promise<PolicyTemplate> {
    try {
      return toTemplate(await this.prisma.db.policyTemplate.create({ data: t, include: withLatest }));
    } catch (error) {
      mapPrismaError(error, `Policy template "${t.name}"`, ['name']);
    }
  }

  async findById(id: string): Promise<PolicyTemplate | null> {
    const r = await this.prisma.db.policyTemplate.findUnique({ where: { id }, include: withLatest });
    return r ? toTemplate(r) : null;
  }

  async findByName(name: string): Promise<PolicyTemplate | null> {
    const r = await this.prisma.db.policyTemplate.findUnique({ where: { name }, include: withLatest });
    return r ? toTemplate(r) : null;
  }

  async findByNames(names: readonly string[]): Promise<PolicyTemplate[]> {
    if (names.length === 0) return [];
    return (await this.prisma.db.policyTemplate.findMany({ where: { name: { in: [...names] } }, include: withLatest })).map(toTemplate);
  }

  async list(afterName: string | undefined, take: number): Promise<PolicyTemplate[]> {
    const rows = await this.prisma.db.policyTemplate.findMany({
      where: afterName === undefined ? {} : { name: { gt: afterName } },
      orderBy: { name: 'asc' },
      take,
      include: withLatest,
    });
    return rows.map(toTemplate);
  }

  /** Serialises built-in catalog installs across API replicas (transaction-scoped advisory lock). */
  async lockCatalog(): Promise<void> {
    await this.prisma.db.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(72707370)) AS l`;
  }

  /** Locks the template row: version numbers are assigned one publisher at a time. */
  async lock(id: string): Promise<void> {
    await this.prisma.db.$queryRaw`SELECT id FROM policy_templates WHERE id = ${id}::uuid FOR UPDATE`;
  }

  async latestVersion(templateId: string): Promise<PolicyTemplateVersion | null> {
    const r = await this.prisma.db.policyTemplateVersion.findFirst({ where: { templateId }, orderBy: { version: 'desc' }, include: versionInclude });
    return r ? toTemplateVersion(r) : null;
  }

  async insertVersion(v: NewVersion & { version: number }): Promise<PolicyTemplateVersion> {
    try {
      const r = await this.prisma.db.policyTemplateVersion.create({
        data: { templateId: v.templateId, version: v.version, body: v.body as Prisma.InputJsonValue, parameters: v.parameters as unknown as Prisma.InputJsonValue, changelog: v.changelog, author: v.author },
        include: versionInclude,
      });
      await this.prisma.db.policyTemplate.update({ where: { id: v.templateId }, data: { updatedAt: new Date() } });
      return toTemplateVersion(r);
    } catch (error) {
      mapPrismaError(error, `Version ${v.version}`, ['version']);
    }
  }

  async findVersion(templateId: string, version: number): Promise<PolicyTemplateVersion | null> {
    const r = await this.prisma.db.policyTemplateVersion.findUnique({ where: { templateId_version: { templateId, version } }, include: versionInclude });
    return r ? toTemplateVersion(r) : null;
  }

  async findVersionsByIds(ids: readonly string[]): Promise<PolicyTemplateVersion[]> {
    if (ids.length === 0) return [];
    return (await this.prisma.db.policyTemplateVersion.findMany({ where: { id: { in: [...ids] } }, include: versionInclude })).map(toTemplateVersion);
  }

  async listVersions(templateId: string, beforeVersion: number | undefined, take: number): Promise<PolicyTemplateVersion[]> {
    const rows = await this.prisma.db.policyTemplateVersion.findMany({
      where: { templateId, ...(beforeVersion === undefined ? {} : { version: { lt: beforeVersion } }) },
      orderBy: { version: 'desc' },
      take,
      include: versionInclude,
    });
    return rows.map(toTemplateVersion);
  }

  async usage(versionId: string): Promise<VersionUsage> {
    const [bindings, assignedClusters] = await Promise.all([
      this.prisma.db.policyBinding.findMany({ where: { templateVersionId: versionId }, select: { name: true }, orderBy: { name: 'asc' } }),
      this.prisma.db.assignedPolicy.groupBy({ by: ['clusterId'], where: { templateVersionId: versionId } }),
    ]);
    return { bindings: bindings.map((b) => b.name), assignedClusters: assignedClusters.length };
  }

  async deleteVersion(id: string): Promise<void> {
    try {
      await this.prisma.db.policyTemplateVersion.delete({ where: { id } });
    } catch (error) {
      mapPrismaError(error, 'Template version');
    }
  }
}
