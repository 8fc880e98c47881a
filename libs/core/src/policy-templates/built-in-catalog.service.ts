import { Injectable, Logger } from '@nestjs/common';
import { canonicalJson } from '@fleetgate/netpol';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, assertRole } from '../auth/actor.js';
import { BindingRepository } from '../bindings/binding.repository.js';
import { FeatureGateRepository } from '../feature-gates/feature-gate.repository.js';
import { PrismaService } from '../prisma/index.js';
import { builtInGates, builtInTemplates } from './built-in-catalog.js';
import { PolicyTemplateRepository } from './policy-template.repository.js';

export interface CatalogInstallReport {
  gates: string[];
  templates: string[];
  versions: { template: string; version: number }[];
  bindings: string[];
}

/**
 * Installs what ships with fleetgate: the built-in gates, a template per pack (version 1, marked
 * built-in) and its default binding under its gate. Idempotent and safe with many API replicas
 * starting at once (an advisory lock inside the transaction, plus the unique names). A release
 * whose pack differs from the latest built-in version adds a version; none is ever rewritten.
 */
@Injectable()
export class BuiltInCatalogService {
  private readonly logger = new Logger(BuiltInCatalogService.name);

  constructor(
    private readonly templates: PolicyTemplateRepository,
    private readonly bindings: BindingRepository,
    private readonly gates: FeatureGateRepository,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  async install(actor: Actor): Promise<CatalogInstallReport> {
    assertRole(actor, 'admin', 'Installing the built-in catalog');
    const report = await this.prisma.transaction(async () => {
      await this.templates.lockCatalog();
      const report: CatalogInstallReport = { gates: [], templates: [], versions: [], bindings: [] };
      const gates = builtInGates();
      report.gates = await this.gates.insertMissing(gates);
      for (const key of report.gates) {
        const g = gates.find((x) => x.key === key)!;
        await this.audit.record(actor, 'feature-gate.create', `feature-gate/${key}`, { key, description: g.description, default: g.defaultValue, builtIn: true });
      }
      for (const t of builtInTemplates()) {
        let template = await this.templates.findByName(t.name);
        if (template && !template.builtIn) {
          this.logger.warn(`a template named "${t.name}" exists and is not built-in; the built-in one is not installed`);
          continue;
        }
        const isNew = !template;
        if (!template) {
          template = await this.templates.create({ name: t.name, description: t.description, builtIn: true, pack: t.pack });
          report.templates.push(t.name);
          await this.audit.record(actor, 'template.create', `template/${t.name}`, { name: t.name, description: t.description, builtIn: true, pack: t.pack });
        }
        await this.templates.lock(template.id);
        const latest = await this.templates.latestVersion(template.id);
        const same = latest && canonicalJson(latest.body) === canonicalJson(t.body) && canonicalJson(latest.parameters) === canonicalJson(t.parameters);
        let versionId = latest?.id;
        if (!same) {
          const version = await this.templates.insertVersion({
            templateId: template.id,
            version: (latest?.version ?? 0) + 1,
            body: t.body,
            parameters: t.parameters,
            changelog: latest ? `Built-in pack ${t.pack} updated by a fleetgate release` : `Built-in pack ${t.pack} as shipped with fleetgate`,
            author: actor.name,
          });
          versionId = version.id;
          report.versions.push({ template: t.name, version: version.version });
          await this.audit.record(actor, 'template.version.publish', `template/${t.name}`, { version: version.version, changelog: version.changelog, builtIn: true });
        }
        if (isNew && t.defaultBinding && versionId && !(await this.bindings.findByName(t.defaultBinding.name))) {
          const b = await this.bindings.create({
            name: t.defaultBinding.name,
            description: `Default binding of the built-in pack ${t.pack}: active wherever the ${t.defaultBinding.gate ?? ''} gate is on.`,
            templateVersionId: versionId,
            clusterSelector: '',
            clusterRole: t.defaultBinding.clusterRole,
            placement: t.defaultBinding.placement,
            gate: t.defaultBinding.gate,
            parameters: {},
            driftMode: 'enforce',
            builtIn: true,
          });
          report.bindings.push(b.name);
          await this.audit.record(actor, 'binding.create', `binding/${b.name}`, { name: b.name, template: b.template, version: b.version, gate: b.gate, placement: b.placement, builtIn: true });
        }
      }
      return report;
    });
    if (report.templates.length || report.versions.length || report.gates.length) {
      this.logger.log(`built-in catalog: gates ${report.gates.join(', ') || '-'}; templates ${report.templates.join(', ') || '-'}; bindings ${report.bindings.join(', ') || '-'}`);
    }
    return report;
  }
}
