import type { PolicyTemplate, PolicyTemplateVersion, PublishVersionInput as PublishData } from '@fleetgate/core';
import type { PublishVersionInput } from './policy-template.input.js';
import type { PolicyTemplateModel, TemplateVersionModel } from './policy-template.model.js';

export const toPolicyTemplateModel = (t: PolicyTemplate): PolicyTemplateModel => ({ ...t });

export const toTemplateVersionModel = (v: PolicyTemplateVersion): TemplateVersionModel => ({
  id: v.id,
  template: v.template,
  version: v.version,
  body: v.body,
  parameters: v.parameters.map((p) => ({ name: p.name, type: p.type, description: p.description ?? null, required: p.required ?? null, default: p.default ?? null })),
  changelog: v.changelog,
  author: v.author,
  createdAt: v.createdAt,
});

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

export function toPublishData(input: PublishVersionInput): PublishData {
  return defined({
    body: input.body,
    parameters: input.parameters?.map((p) => defined({ ...p })) as PublishData['parameters'],
    changelog: input.changelog,
    sampleParameters: input.sampleParameters ?? undefined,
  }) as PublishData;
}
