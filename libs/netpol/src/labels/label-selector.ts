/** The structured metav1.LabelSelector form: conversion to requirements and API validation. */
import { fieldError, type FieldError } from '../validation/field-error.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';
import { sortByKey, type Requirement } from './requirement.js';
import { SelectorParseError } from './selector-parse-error.js';
import { requirementErrors } from './selector-parser.js';

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/**
 * metav1.LabelSelectorAsSelector: matchLabels become `key=value` (In with one value), the
 * expressions keep their operator. An empty selector selects everything (empty list); a missing
 * selector ("nothing") is the caller's business. Throws SelectorParseError on invalid content.
 */
export function selectorFromLabelSelector(sel: LabelSelector): Requirement[] {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
    const errors = requirementErrors(key, 'Equals', [value], '');
    if (errors.length) throw new SelectorParseError(errors.map((e) => `${e.field}: ${e.message}`).join(', '));
    reqs.push({ key, operator: 'In', values: [value] });
  }
  for (const expr of sel.matchExpressions ?? []) {
    const op = expr.operator as string;
    if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') {
      throw new SelectorParseError(`"${op}" is not a valid label selector operator`);
    }
    const values = [...(expr.values ?? [])];
    const errors = requirementErrors(expr.key, op, values, '');
    if (errors.length) throw new SelectorParseError(errors.map((e) => `${e.field}: ${e.message}`).join(', '));
    reqs.push({ key: expr.key, operator: op, values });
  }
  return sortByKey(reqs);
}

function labelNameErrors(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldError.invalid(path, name, msg));
}

/** apimachinery ValidateLabels: keys are qualified names, values label values (keys in sorted order). */
export function validateLabels(labels: Readonly<Record<string, string>> | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of Object.keys(labels ?? {}).sort()) {
    errors.push(...labelNameErrors(key, path));
    const value = labels?.[key] ?? '';
    for (const msg of isValidLabelValue(value)) errors.push(fieldError.invalid(path, value, msg));
  }
  return errors;
}

/**
 * metav1validation.ValidateLabelSelector (AllowInvalidLabelValueInSelector false), returning
 * FieldErrors at the API server's paths under `path` (e.g. `spec.podSelector`).
 */
export function validateLabelSelector(sel: LabelSelector | undefined, path: string): FieldError[] {
  if (!sel) return [];
  const errors = validateLabels(sel.matchLabels, `${path}.matchLabels`);
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const exprPath = `${path}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator as string) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          errors.push(fieldError.required(`${exprPath}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errors.push(fieldError.forbidden(`${exprPath}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
        break;
      default:
        errors.push(fieldError.invalid(`${exprPath}.operator`, expr.operator, 'not a valid selector operator'));
    }
    errors.push(...labelNameErrors(expr.key, `${exprPath}.key`));
    values.forEach((value, j) => {
      for (const msg of isValidLabelValue(value)) errors.push(fieldError.invalid(`${exprPath}.values[${j}]`, value, msg));
    });
  });
  return errors;
}
