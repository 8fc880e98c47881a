/** Checking parameter declarations and values before rendering. */
import { isValidCidr } from '../cidr/ip.js';
import { validateLabels } from '../labels/label-selector.js';
import { fieldError, GoValue, type FieldError } from '../validation/field-error.js';
import { isDNS1123Label, isValidPortName, isValidPortNum } from '../validation/names.js';
import { PARAMETER_TYPES, type TemplateParameter } from './template.types.js';

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** Errors for one value of a declared type, at `path` (e.g. `params.port`). */
export function checkParameterValue(type: TemplateParameter['type'], value: unknown, path: string): FieldError[] {
  const wrongType = (expected: string) => [fieldError.typeInvalid(path, new GoValue(jsonType(value)), `must be ${expected}`)];
  switch (type) {
    case 'string':
      return typeof value === 'string' ? [] : wrongType('a string');
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) ? [] : wrongType('an integer');
    case 'port':
      if (typeof value === 'number' && Number.isInteger(value)) return isValidPortNum(value).map((m) => fieldError.invalid(path, value, m));
      if (typeof value === 'string') return isValidPortName(value).map((m) => fieldError.invalid(path, value, m));
      return wrongType('a port number or name');
    case 'cidr':
      if (typeof value !== 'string') return wrongType('a string');
      return isValidCidr(value) ? [] : [fieldError.invalid(path, value, 'not a valid CIDR')];
    case 'cidrList':
      if (!Array.isArray(value)) return wrongType('a list of CIDRs');
      return value.flatMap((item, i) => checkParameterValue('cidr', item, `${path}[${i}]`));
    case 'labels':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return wrongType('a map of labels');
      for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') return [fieldError.typeInvalid(`${path}[${k}]`, new GoValue(jsonType(v)), 'must be a string')];
      return validateLabels(value as Record<string, string>, path);
    case 'namespaceName':
      if (typeof value !== 'string') return wrongType('a string');
      return isDNS1123Label(value).map((m) => fieldError.invalid(path, value, m));
  }
}

/** Errors in the declarations themselves (unknown type, duplicate name, invalid default). */
export function checkParameterDeclarations(parameters: readonly TemplateParameter[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  parameters.forEach((param, i) => {
    const path = `parameters[${i}]`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(param.name ?? '')) {
      errors.push(fieldError.invalid(`${path}.name`, param.name ?? '', 'must be an identifier (letters, digits, _; not starting with a digit)'));
    }
    if (seen.has(param.name)) errors.push(fieldError.duplicate(`${path}.name`, param.name));
    seen.add(param.name);
    if (!PARAMETER_TYPES.includes(param.type)) {
      errors.push(fieldError.notSupported(`${path}.type`, param.type, PARAMETER_TYPES));
      return;
    }
    if (param.default !== undefined && param.default !== null) errors.push(...checkParameterValue(param.type, param.default, `${path}.default`));
  });
  return errors;
}

/**
 * The parameter values a template sees: given values, else defaults, else null. Errors name the
 * parameter: missing required ones, values of the wrong type, values for undeclared parameters.
 */
export function resolveParameters(
  parameters: readonly TemplateParameter[],
  given: Readonly<Record<string, unknown>>,
): { values: Record<string, unknown>; errors: FieldError[] } {
  const values: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  const declared = new Set(parameters.map((p) => p.name));
  for (const name of Object.keys(given).sort()) {
    if (!declared.has(name)) errors.push(fieldError.invalid(`params.${name}`, new GoValue(name), 'not a declared parameter'));
  }
  for (const param of parameters) {
    const path = `params.${param.name}`;
    const value = given[param.name];
    if (value === undefined || value === null) {
      if (param.required) {
        errors.push(fieldError.required(path, `parameter "${param.name}" (${param.type}) has no value and no default`));
        continue;
      }
      values[param.name] = param.default === undefined ? null : structuredClone(param.default);
      continue;
    }
    const problems = checkParameterValue(param.type, value, path);
    errors.push(...problems);
    if (problems.length === 0) values[param.name] = structuredClone(value);
  }
  return { values, errors };
}
