/**
 * The string syntax of label selectors (`kubectl -l`, `?labelSelector=`), ported from the
 * lexer and parser of k8s.io/apimachinery/pkg/labels/selector.go: same tokens, same
 * lookahead contexts, same error wording.
 */
import { fieldError, formatFieldError, GoValue, type FieldError } from '../validation/field-error.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';
import { parseInt64, sortByKey, type Operator, type Requirement } from './requirement.js';
import { SelectorParseError } from './selector-parse-error.js';

type Token =
  | 'EndOfString'
  | 'ClosedPar'
  | 'Comma'
  | 'DoesNotExist'
  | 'DoubleEquals'
  | 'Equals'
  | 'GreaterThan'
  | 'Identifier'
  | 'In'
  | 'LessThan'
  | 'NotEquals'
  | 'NotIn'
  | 'OpenPar';

const STRING_TO_TOKEN: Record<string, Token> = {
  ')': 'ClosedPar',
  ',': 'Comma',
  '!': 'DoesNotExist',
  '==': 'DoubleEquals',
  '=': 'Equals',
  '>': 'GreaterThan',
  in: 'In',
  '<': 'LessThan',
  '!=': 'NotEquals',
  notin: 'NotIn',
  '(': 'OpenPar',
};

interface Scanned {
  tok: Token;
  literal: string;
  position: number;
}

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string) => '=!(),><'.includes(ch);

function lex(text: string): Scanned[] {
  const items: Scanned[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isWhitespace(text[pos] ?? '')) pos++;
    const start = pos;
    if (pos >= text.length) {
      items.push({ tok: 'EndOfString', literal: '', position: start });
      return items;
    }
    const ch = text[pos] ?? '';
    if (isSpecialSymbol(ch)) {
      // Longest run of special symbols that still forms a token.
      let buffer = '';
      let last: { tok: Token; literal: string } | undefined;
      while (pos < text.length && isSpecialSymbol(text[pos] ?? '')) {
        buffer += text[pos];
        const tok = STRING_TO_TOKEN[buffer];
        if (tok) {
          last = { tok, literal: buffer };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      // Every single special symbol is a token, so `last` is always set here.
      items.push({ tok: last?.tok ?? 'Identifier', literal: last?.literal ?? buffer, position: start });
      continue;
    }
    let word = '';
    while (pos < text.length && !isWhitespace(text[pos] ?? '') && !isSpecialSymbol(text[pos] ?? '')) {
      word += text[pos];
      pos++;
    }
    const keyword = word === 'in' || word === 'notin' ? STRING_TO_TOKEN[word] : undefined;
    items.push({ tok: keyword ?? 'Identifier', literal: word, position: start });
  }
}

type Context = 'KeyAndOperator' | 'Values';

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

type ParsedOperator = Operator | 'Equals' | 'DoubleEquals' | 'NotEquals';

class Parser {
  private index = 0;
  constructor(private readonly items: Scanned[]) {}

  private item(): Scanned {
    return this.items[Math.min(this.index, this.items.length - 1)] as Scanned;
  }

  lookahead(context: Context): Scanned {
    const item = this.item();
    if (context === 'Values' && (item.tok === 'In' || item.tok === 'NotIn')) return { ...item, tok: 'Identifier' };
    return item;
  }

  consume(context: Context): Scanned {
    const item = this.lookahead(context);
    if (this.index < this.items.length - 1) this.index++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const next = this.lookahead('Values');
      switch (next.tok) {
        case 'Identifier':
        case 'DoesNotExist': {
          let requirement: Requirement;
          try {
            requirement = this.parseRequirement();
          } catch (err) {
            if (err instanceof SelectorParseError) {
              throw new SelectorParseError(`unable to parse requirement: ${err.message}`, err.position);
            }
            throw err;
          }
          requirements.push(requirement);
          const sep = this.consume('Values');
          if (sep.tok === 'EndOfString') return requirements;
          if (sep.tok === 'Comma') {
            const after = this.lookahead('Values');
            if (after.tok !== 'Identifier' && after.tok !== 'DoesNotExist') {
              throw new SelectorParseError(`found '${after.literal}', expected: identifier after ','`, after.position);
            }
            break;
          }
          throw new SelectorParseError(`found '${sep.literal}', expected: ',' or 'end of string'`, sep.position);
        }
        case 'EndOfString':
          return requirements;
        default:
          throw new SelectorParseError(
            `found '${next.literal}', expected: !, identifier, or 'end of string'`,
            next.position,
          );
      }
    }
  }

  private parseRequirement(): Requirement {
    const start = this.item().position;
    const { key, operator: inferred } = this.parseKeyAndInferOperator();
    if (inferred === 'Exists' || inferred === 'DoesNotExist') return newRequirement(key, inferred, [], start);
    const operator = this.parseOperator();
    const values = operator === 'In' || operator === 'NotIn' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, operator, [...values].sort(), start);
  }

  private parseKeyAndInferOperator(): { key: string; operator?: 'Exists' | 'DoesNotExist' } {
    let operator: 'Exists' | 'DoesNotExist' | undefined;
    let item = this.consume('Values');
    if (item.tok === 'DoesNotExist') {
      operator = 'DoesNotExist';
      item = this.consume('Values');
    }
    if (item.tok !== 'Identifier') {
      throw new SelectorParseError(`found '${item.literal}', expected: identifier`, item.position);
    }
    const keyErrors = isQualifiedName(item.literal);
    if (keyErrors.length) {
      // labels.Parse validates the key with a nil field path, which Go prints as "<nil>".
      throw new SelectorParseError(
        formatFieldError(fieldError.invalid('<nil>', item.literal, keyErrors.join('; '))),
        item.position,
      );
    }
    const next = this.lookahead('Values');
    if ((next.tok === 'EndOfString' || next.tok === 'Comma') && operator !== 'DoesNotExist') operator = 'Exists';
    return operator ? { key: item.literal, operator } : { key: item.literal };
  }

  private parseOperator(): ParsedOperator {
    const item = this.consume('KeyAndOperator');
    switch (item.tok) {
      case 'In':
        return 'In';
      case 'Equals':
        return 'Equals';
      case 'DoubleEquals':
        return 'DoubleEquals';
      case 'GreaterThan':
        return 'Gt';
      case 'LessThan':
        return 'Lt';
      case 'NotIn':
        return 'NotIn';
      case 'NotEquals':
        return 'NotEquals';
      default:
        throw new SelectorParseError(`found '${item.literal}', expected: ${BINARY_OPERATORS}`, item.position);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume('Values');
    if (open.tok !== 'OpenPar') throw new SelectorParseError(`found '${open.literal}' expected: '('`, open.position);
    const next = this.lookahead('Values');
    switch (next.tok) {
      case 'Identifier':
      case 'Comma': {
        const values = this.parseIdentifiersList();
        const close = this.consume('Values');
        if (close.tok !== 'ClosedPar') {
          // Go reports the literal that followed '(' here, not the one that failed.
          throw new SelectorParseError(`found '${next.literal}', expected: ')'`, close.position);
        }
        return values;
      }
      case 'ClosedPar':
        this.consume('Values');
        return new Set(['']);
      default:
        throw new SelectorParseError(`found '${next.literal}', expected: ',', ')' or identifier`, next.position);
    }
  }

  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const item = this.consume('Values');
      if (item.tok === 'Identifier') {
        values.add(item.literal);
        const next = this.lookahead('Values');
        if (next.tok === 'Comma') continue;
        if (next.tok === 'ClosedPar') return values;
        throw new SelectorParseError(`found '${next.literal}', expected: ',' or ')'`, next.position);
      } else if (item.tok === 'Comma') {
        if (values.size === 0) values.add('');
        const next = this.lookahead('Values');
        if (next.tok === 'ClosedPar') {
          values.add('');
          return values;
        }
        if (next.tok === 'Comma') {
          this.consume('Values');
          values.add('');
        }
      } else {
        throw new SelectorParseError(`found '${item.literal}', expected: ',', or identifier`, item.position);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead('Values');
    if (next.tok === 'EndOfString' || next.tok === 'Comma') return new Set(['']);
    const item = this.consume('Values');
    if (item.tok === 'Identifier') return new Set([item.literal]);
    throw new SelectorParseError(`found '${item.literal}', expected: identifier`, item.position);
  }
}

/** labels.NewRequirement: validates and builds; errors aggregated as Go does. */
function newRequirement(key: string, op: ParsedOperator, values: string[], position?: number): Requirement {
  const errors = requirementErrors(key, op, values, '');
  if (errors.length) throw new SelectorParseError(aggregate(errors.map(formatFieldError)), position);
  return { key, operator: normalOperator(op), values };
}

function normalOperator(op: ParsedOperator): Operator {
  if (op === 'Equals' || op === 'DoubleEquals') return 'In';
  if (op === 'NotEquals') return 'NotIn';
  return op;
}

/** The checks of labels.NewRequirement, with field paths relative to `path`. */
export function requirementErrors(key: string, op: ParsedOperator | string, values: readonly string[], path: string): FieldError[] {
  const child = (name: string) => (path ? `${path}.${name}` : name);
  const errors: FieldError[] = [];
  const keyErrors = isQualifiedName(key);
  if (keyErrors.length) errors.push(fieldError.invalid(child('key'), key, keyErrors.join('; ')));
  const valuePath = child('values');
  const goSlice = new GoValue(`[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`);
  switch (op) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errors.push(fieldError.invalid(valuePath, goSlice, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case 'Equals':
    case 'DoubleEquals':
    case 'NotEquals':
      if (values.length !== 1) errors.push(fieldError.invalid(valuePath, goSlice, 'exact-match compatibility requires one single value'));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) errors.push(fieldError.invalid(valuePath, goSlice, 'values set must be empty for exists and does not exist'));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errors.push(fieldError.invalid(valuePath, goSlice, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((value, i) => {
        if (parseInt64(value) === undefined) {
          errors.push(fieldError.invalid(`${valuePath}[${i}]`, value, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
    default:
      errors.push(fieldError.notSupported(child('operator'), op, ['in', 'notin', '=', '==', '!=', 'gt', 'lt', 'exists', '!']));
  }
  values.forEach((value, i) => {
    const msgs = isValidLabelValue(value);
    if (msgs.length) errors.push(fieldError.invalid(`${valuePath}[${i}][${key}]`, value, msgs.join('; ')));
  });
  return errors;
}

function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

/**
 * Parses the string syntax exactly like labels.Parse: requirements sorted by key, values
 * sorted and de-duplicated, `=`/`==` as In and `!=` as NotIn with one value.
 * The empty string selects everything (an empty list). Throws SelectorParseError.
 */
export function parseSelector(text: string): Requirement[] {
  return sortByKey(new Parser(lex(text)).parse());
}
