/**
 * Field errors shaped like k8s.io/apimachinery/pkg/util/validation/field: a field path, a cause
 * reason (the `type` the API server reports in a Status' `details.causes[].reason`) and the text
 * the API server prints after the field path.
 */
export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  field: string;
  type: FieldErrorType;
  /** What the API server prints after `<field>: `, e.g. `Invalid value: "10.0.0.0/33": not a valid CIDR`. */
  message: string;
  value?: unknown;
}

/** A Go value rendered the way field.Error.ErrorBody renders bad values. */
export class GoValue {
  constructor(readonly rendered: string) {}
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Go's strconv.Quote for the characters that matter in field values. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\u0007': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      default:
        if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
        else if (code >= 0x80 && code < 0xa0) out += `\\u${code.toString(16).padStart(4, '0')}`;
        else out += ch;
    }
  }
  return out + '"';
}

function renderValue(value: unknown): string {
  if (value instanceof GoValue) return value.rendered;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function body(type: FieldErrorType, detail: string, value?: unknown, showValue = true): string {
  let text = TYPE_TEXT[type];
  if (showValue) text += `: ${renderValue(value)}`;
  if (detail) text += `: ${detail}`;
  return text;
}

function plain(value: unknown): unknown {
  return value instanceof GoValue ? value.rendered : value;
}

export const fieldError = {
  required(field: string, detail = ''): FieldError {
    return { field, type: 'FieldValueRequired', message: body('FieldValueRequired', detail, undefined, false) };
  },
  invalid(field: string, value: unknown, detail: string): FieldError {
    return { field, type: 'FieldValueInvalid', message: body('FieldValueInvalid', detail, value), value: plain(value) };
  },
  typeInvalid(field: string, value: unknown, detail: string): FieldError {
    return { field, type: 'FieldValueTypeInvalid', message: body('FieldValueTypeInvalid', detail, value), value: plain(value) };
  },
  notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
    const detail = supported.length ? `supported values: ${supported.map(goQuote).join(', ')}` : '';
    return { field, type: 'FieldValueNotSupported', message: body('FieldValueNotSupported', detail, value), value: plain(value) };
  },
  forbidden(field: string, detail: string): FieldError {
    return { field, type: 'FieldValueForbidden', message: body('FieldValueForbidden', detail, undefined, false) };
  },
  duplicate(field: string, value: unknown): FieldError {
    return { field, type: 'FieldValueDuplicate', message: body('FieldValueDuplicate', '', value), value: plain(value) };
  },
  tooLong(field: string, maxLength: number, value?: unknown): FieldError {
    const detail = maxLength >= 0 ? `may not be more than ${maxLength} bytes` : 'value is too long';
    return { field, type: 'FieldValueTooLong', message: body('FieldValueTooLong', detail, undefined, false), value };
  },
};

/** `<field>: <message>`, as field.Error.Error() prints it. */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${error.message}`;
}

/**
 * The message of the 422 Status the API server returns for an invalid object
 * (apierrors.NewInvalid): `NetworkPolicy.networking.k8s.io "x" is invalid: [a: …, b: …]`.
 * `kind` is the qualified kind, e.g. `NetworkPolicy.networking.k8s.io`.
 */
export function formatInvalidMessage(kind: string, name: string, errors: readonly FieldError[]): string {
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const error of errors) {
    const text = formatFieldError(error);
    if (seen.has(text)) continue;
    seen.add(text);
    messages.push(text);
  }
  let aggregate = '';
  if (messages.length === 1) aggregate = messages[0] ?? '';
  else if (messages.length > 1) aggregate = `[${messages.join(', ')}]`;
  return `${kind} ${goQuote(name)} is invalid: ${aggregate}`;
}
