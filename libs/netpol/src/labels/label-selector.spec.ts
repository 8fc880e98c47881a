import { describe, expect, it } from 'vitest';
import { selectorFromLabelSelector, validateLabelSelector, validateLabels } from './label-selector.js';
import { formatSelector, matches } from './requirement.js';
import { SelectorParseError } from './selector-parse-error.js';

describe('selectorFromLabelSelector', () => {
  it('turns matchLabels into In requirements and keeps expressions, sorted by key', () => {
    const reqs = selectorFromLabelSelector({
      matchLabels: { role: 'db', app: 'x' },
      matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }],
    });
    expect(formatSelector(reqs)).toBe('app=x,env!=dev,role=db');
    expect(matches(reqs, { app: 'x', role: 'db' })).toBe(true);
    expect(matches(reqs, { app: 'x', role: 'db', env: 'dev' })).toBe(false);
  });

  it('treats an empty selector as everything', () => {
    expect(selectorFromLabelSelector({})).toEqual([]);
  });

  it('rejects an unknown operator with the Go wording', () => {
    expect(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt' as never }] })).toThrow(
      new SelectorParseError('"Gt" is not a valid label selector operator'),
    );
  });

  it('rejects In without values', () => {
    expect(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(
      SelectorParseError,
    );
  });
});

describe('validateLabelSelector', () => {
  const path = 'spec.podSelector';
  it('accepts a valid selector', () => {
    expect(
      validateLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'x', operator: 'Exists' }] }, path),
    ).toEqual([]);
  });

  it.each([
    [
      { matchExpressions: [{ key: 'a', operator: 'In' as const }] },
      'spec.podSelector.matchExpressions[0].values',
      'FieldValueRequired',
      "Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'NotIn' as const, values: [] }] },
      'spec.podSelector.matchExpressions[0].values',
      'FieldValueRequired',
      "Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists' as const, values: ['x'] }] },
      'spec.podSelector.matchExpressions[0].values',
      'FieldValueForbidden',
      "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Foo' as never }] },
      'spec.podSelector.matchExpressions[0].operator',
      'FieldValueInvalid',
      'Invalid value: "Foo": not a valid selector operator',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'In' as const, values: ['ok', 'bad value'] }] },
      'spec.podSelector.matchExpressions[0].values[1]',
      'FieldValueInvalid',
      'Invalid value: "bad value": a valid label must be an empty string',
    ],
    [
      { matchExpressions: [{ key: 'a/b/c', operator: 'Exists' as const }] },
      'spec.podSelector.matchExpressions[0].key',
      'FieldValueInvalid',
      'Invalid value: "a/b/c": a qualified name must consist of',
    ],
    [{ matchLabels: { 'Bad_/x': 'v' } }, 'spec.podSelector.matchLabels', 'FieldValueInvalid', 'Invalid value: "Bad_/x": prefix part a lowercase RFC 1123 subdomain'],
    [{ matchLabels: { '/x': 'v' } }, 'spec.podSelector.matchLabels', 'FieldValueInvalid', 'Invalid value: "/x": prefix part must be non-empty'],
    [{ matchLabels: { k: 'x'.repeat(64) } }, 'spec.podSelector.matchLabels', 'FieldValueInvalid', 'must be no more than 63 characters'],
  ])('%j', (sel, field, type, message) => {
    const errors = validateLabelSelector(sel, path);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ field, type });
    expect(errors[0]?.message.startsWith(message) || errors[0]?.message.includes(message)).toBe(true);
  });

  it('reports a too long name part', () => {
    expect(validateLabels({ [`a/${'b'.repeat(64)}`]: '' }, 'metadata.labels')[0]?.message).toBe(
      `Invalid value: "a/${'b'.repeat(64)}": name part must be no more than 63 characters`,
    );
  });
});
