import { describe, expect, it } from 'vitest';
import { formatSelector, matches } from './requirement.js';
import { SelectorParseError } from './selector-parse-error.js';
import { parseSelector } from './selector-parser.js';

const QNAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('parseSelector', () => {
  it.each([
    ['', []],
    ['   ', []],
    ['x=a', [{ key: 'x', operator: 'In', values: ['a'] }]],
    ['x==a', [{ key: 'x', operator: 'In', values: ['a'] }]],
    ['x!=a', [{ key: 'x', operator: 'NotIn', values: ['a'] }]],
    ['x', [{ key: 'x', operator: 'Exists', values: [] }]],
    ['!x', [{ key: 'x', operator: 'DoesNotExist', values: [] }]],
    [' ! x ', [{ key: 'x', operator: 'DoesNotExist', values: [] }]],
    ['x>1', [{ key: 'x', operator: 'Gt', values: ['1'] }]],
    ['x<1', [{ key: 'x', operator: 'Lt', values: ['1'] }]],
    ['x=', [{ key: 'x', operator: 'In', values: [''] }]],
    ['x in (b,a,a)', [{ key: 'x', operator: 'In', values: ['a', 'b'] }]],
    ['x in(a)', [{ key: 'x', operator: 'In', values: ['a'] }]],
    ['x in ()', [{ key: 'x', operator: 'In', values: [''] }]],
    ['x in (,a)', [{ key: 'x', operator: 'In', values: ['', 'a'] }]],
    ['x in (a,)', [{ key: 'x', operator: 'In', values: ['', 'a'] }]],
    ['x notin (a, b)', [{ key: 'x', operator: 'NotIn', values: ['a', 'b'] }]],
    ['in in (in,notin)', [{ key: 'in', operator: 'In', values: ['in', 'notin'] }]],
    [
      'env=prod,tier in (gold,silver),!legacy',
      [
        { key: 'env', operator: 'In', values: ['prod'] },
        { key: 'legacy', operator: 'DoesNotExist', values: [] },
        { key: 'tier', operator: 'In', values: ['gold', 'silver'] },
      ],
    ],
    ['example.com/app = web', [{ key: 'example.com/app', operator: 'In', values: ['web'] }]],
    ['z,a', [{ key: 'a', operator: 'Exists', values: [] }, { key: 'z', operator: 'Exists', values: [] }]],
  ])('parses %j', (text, expected) => {
    expect(parseSelector(text)).toEqual(expected);
  });

  it.each([
    ['x=a,', "found '', expected: identifier after ','", 4],
    [',x', "found ',', expected: !, identifier, or 'end of string'", 0],
    ['x=a b', "found 'b', expected: ',' or 'end of string'", 4],
    ['x b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt", 2],
    ['x in a', "unable to parse requirement: found 'a' expected: '('", 5],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'", 8],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier", 6],
    ['x=(', "unable to parse requirement: found '(', expected: identifier", 2],
    ['!=a', "found '!=', expected: !, identifier, or 'end of string'", 0],
    ['! =a', "unable to parse requirement: found '=', expected: identifier", 2],
    ['x>a', "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer", 0],
    ['-x', `unable to parse requirement: <nil>: Invalid value: "-x": ${QNAME_MSG}`, 0],
    [
      'x=-a',
      "unable to parse requirement: values[0][x]: Invalid value: \"-a\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      0,
    ],
  ])('rejects %j like labels.Parse', (text, message, position) => {
    let caught: unknown;
    try {
      parseSelector(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SelectorParseError);
    expect((caught as SelectorParseError).message).toBe(message);
    expect((caught as SelectorParseError).position).toBe(position);
  });

  it('reports both Gt errors as an aggregate', () => {
    expect(() => parseSelector('x>-1')).toThrow(
      /^unable to parse requirement: values\[0\]\[x\]: Invalid value: "-1": a valid label/,
    );
  });
});

describe('matches', () => {
  const labels = { env: 'prod', tier: 'gold', n: '10', s: 'abc' };
  it.each([
    ['', true],
    ['env=prod', true],
    ['env=dev', false],
    ['env!=dev', true],
    ['missing!=x', true],
    ['missing notin (x)', true],
    ['missing in (x)', false],
    ['env', true],
    ['!env', false],
    ['!missing', true],
    ['tier in (gold,silver)', true],
    ['tier notin (gold)', false],
    ['n>9', true],
    ['n>10', false],
    ['n<11', true],
    ['s>1', false],
    ['missing<5', false],
    ['env=prod,tier=silver', false],
  ])('%j on %j', (selector, expected) => {
    expect(matches(parseSelector(selector), labels)).toBe(expected);
  });
});

describe('formatSelector', () => {
  it.each([
    ['env=prod,tier in (gold,silver),!legacy', 'env=prod,!legacy,tier in (gold,silver)'],
    ['a!=b,c notin (d,e),f,g>3,h<4', 'a!=b,c notin (d,e),f,g>3,h<4'],
  ])('round-trips %j', (text, formatted) => {
    expect(formatSelector(parseSelector(text))).toBe(formatted);
    expect(parseSelector(formatted)).toEqual(parseSelector(text));
  });
});
