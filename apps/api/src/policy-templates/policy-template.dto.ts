import type { PolicyTemplate, PolicyTemplateVersion, RenderedPolicy, VersionDiff } from '@fleetgate/core';
import { z } from 'zod';

export interface PolicyTemplateDto {
  id: string;
  name: string;
  description: string;
  builtIn: boolean;
  pack: string | null;
  latestVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export const toPolicyTemplateDto = (t: PolicyTemplate): PolicyTemplateDto => ({
  id: t.id,
  name: t.name,
  description: t.description,
  builtIn: t.builtIn,
  pack: t.pack,
  latestVersion: t.latestVersion,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

export interface TemplateVersionDto {
  id: string;
  template: string;
  version: number;
  body: unknown;
  parameters: unknown[];
  changelog: string;
  author: string;
  createdAt: string;
}

export const toTemplateVersionDto = (v: PolicyTemplateVersion): TemplateVersionDto => ({
  id: v.id,
  template: v.template,
  version: v.version,
  body: v.body,
  parameters: v.parameters,
  changelog: v.changelog,
  author: v.author,
  createdAt: v.createdAt.toISOString(),
});

export const toVersionDiffDto = (d: VersionDiff) => ({
  ...d,
  changelog: d.changelog.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
});

export const toRenderDto = (r: { cluster: string; namespace: string; items: RenderedPolicy[] }) => r;

/** For OpenAPI only. */
export const policyTemplateDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  builtIn: z.boolean(),
  pack: z.string().nullable(),
  latestVersion: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const templateVersionDtoSchema = z.object({
  id: z.string(),
  template: z.string(),
  version: z.number().int(),
  body: z.unknown(),
  parameters: z.array(z.unknown()),
  changelog: z.string(),
  author: z.string(),
  createdAt: z.string(),
});
