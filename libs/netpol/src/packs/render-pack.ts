/** Rendering a whole pack (or some of its templates) for one target namespace. */
import type { NetworkPolicy } from '../types/network-policy.js';
import { renderTemplate } from '../template/render-template.js';
import type { RenderResult, TemplateContext, TemplateError } from '../template/template.types.js';
import type { PolicyPack } from './pack.types.js';

export interface RenderPackOptions {
  /** Template names (with or without the `<pack>/` prefix); all templates when omitted. */
  templates?: readonly string[];
}

export function renderPack(pack: PolicyPack, context: TemplateContext, options: RenderPackOptions = {}): RenderResult<NetworkPolicy> {
  const wanted = options.templates?.map((t) => (t.includes('/') ? t : `${pack.name}/${t}`));
  const unknown = wanted?.filter((t) => !pack.templates.some((tpl) => tpl.name === t)) ?? [];
  if (unknown.length) {
    return {
      ok: false,
      errors: unknown.map((t) => ({ template: t, field: 'templates', message: `Unsupported value: "${t}": not a template of pack "${pack.name}"` })),
    };
  }
  const policies: NetworkPolicy[] = [];
  const errors: TemplateError[] = [];
  for (const template of pack.templates) {
    if (wanted && !wanted.includes(template.name)) continue;
    const result = renderTemplate(template, context, pack.parameters);
    if (result.ok) policies.push(...result.policies);
    else errors.push(...result.errors);
  }
  return errors.length ? { ok: false, errors } : { ok: true, policies };
}
