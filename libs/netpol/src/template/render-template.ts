/** Rendering a policy template with json-e: JSON in, JSON out, then API-server validation. */
import jsone from 'json-e';
import type { NetworkPolicy } from '../types/network-policy.js';
import { validate } from '../validation/network-policy.validation.js';
import { templateFunctions } from './context-functions.js';
import { checkParameterDeclarations, resolveParameters } from './parameters.js';
import type { PolicyTemplate, RenderResult, TemplateContext, TemplateError, TemplateParameter } from './template.types.js';

interface JsonTemplateError extends Error {
  location?: string[];
}

function toTemplateErrors(template: string, errors: { field: string; message: string }[], parameter = false): TemplateError[] {
  return errors.map((e) => {
    const error: TemplateError = { template, field: e.field, message: e.message };
    if (parameter && e.field.startsWith('params.')) error.parameter = e.field.slice('params.'.length).split(/[[.]/)[0] ?? '';
    return error;
  });
}

/**
 * Renders `template` for one target. Parameters are checked first (errors name the parameter),
 * then json-e renders the policy, then every rendered policy must pass `validate` (errors name the
 * field, e.g. `policies[0].spec.egress[0].to[0].ipBlock.cidr`). `extraParameters` are declared by
 * the pack the template belongs to.
 */
export function renderTemplate(
  template: PolicyTemplate,
  context: TemplateContext,
  extraParameters: readonly TemplateParameter[] = [],
): RenderResult<NetworkPolicy> {
  const name = template.name;
  const parameters = [...extraParameters, ...(template.parameters ?? [])];
  const declarationErrors = checkParameterDeclarations(parameters);
  if (declarationErrors.length) return { ok: false, errors: toTemplateErrors(name, declarationErrors) };

  const { values, errors: paramErrors } = resolveParameters(parameters, context.params ?? {});
  if (paramErrors.length) return { ok: false, errors: toTemplateErrors(name, paramErrors, true) };

  const data = structuredClone({ cluster: context.cluster, seed: context.seed, namespace: context.namespace, params: values });
  let rendered: unknown;
  try {
    rendered = jsone(structuredClone(template.policy) as Record<string, unknown>, { ...data, ...templateFunctions });
  } catch (err) {
    const e = err as JsonTemplateError;
    const location = Array.isArray(e.location) ? e.location.join('') : '';
    return { ok: false, errors: [{ template: name, field: `template${location}`, message: `${e.name ?? 'Error'}: ${e.message}` }] };
  }

  const items = rendered === null || rendered === undefined ? [] : Array.isArray(rendered) ? rendered : [rendered];
  const policies: NetworkPolicy[] = [];
  const errors: TemplateError[] = [];
  items.forEach((item, i) => {
    const path = `policies[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ template: name, field: path, message: 'Invalid value: the template must render a NetworkPolicy object' });
      return;
    }
    const policy = item as NetworkPolicy;
    policy.apiVersion ??= 'networking.k8s.io/v1';
    policy.kind ??= 'NetworkPolicy';
    policy.metadata ??= {};
    policy.metadata.namespace ??= context.namespace;
    for (const e of validate(policy)) errors.push({ template: name, field: `${path}.${e.field}`, message: e.message });
    policies.push(policy);
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, policies };
}

/** `template <name>: <field>: <message>` for logs and API errors. */
export function formatTemplateError(error: TemplateError): string {
  return `template ${error.template}: ${error.field}: ${error.message}`;
}
