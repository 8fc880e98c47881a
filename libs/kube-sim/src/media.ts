/**
 * Media types as kube-apiserver handles them: which body formats a request may use, and whether
 * the answer is JSON or protobuf (by the Accept header).
 */
import { parse as parseYaml } from 'yaml';
import { PROTOBUF_MEDIA_TYPE, ProtobufDecodeError, decodeObject, encodeObject, messageFor, unknownFields } from './protobuf/codec.js';
import { StatusError, statusErrors } from './status.js';

export type Encoding = 'json' | 'protobuf';

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

interface AcceptEntry {
  type: string;
  params: Record<string, string>;
  q: number;
}

function parseAccept(accept: string | undefined): AcceptEntry[] {
  if (!accept) return [];
  return accept
    .split(',')
    .map((part, i) => {
      const [type = '', ...rest] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq).toLowerCase()] = p.slice(eq + 1);
      }
      const q = params.q === undefined ? 1 : Number(params.q);
      return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((e) => e.type && e.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
}

/** Protobuf when it is the client's first choice (and not a Table request), JSON otherwise. */
export function responseEncoding(accept: string | undefined): Encoding {
  for (const e of parseAccept(accept)) {
    if (e.params.as) continue;
    if (e.type === PROTOBUF_MEDIA_TYPE) return 'protobuf';
    if (e.type === 'application/json' || e.type === '*/*' || e.type === 'application/*' || e.type === 'application/yaml') return 'json';
  }
  return 'json';
}

/**
 * The answer's bytes and content type: protobuf if asked and the body's kind has a protobuf form
 * that carries all of it; JSON otherwise (clients that ask for protobuf also accept JSON).
 */
export function encodeResponse(body: unknown, encoding: Encoding): { bytes: Buffer; contentType: string } {
  if (encoding === 'protobuf' && typeof body === 'object' && body !== null) {
    const bytes = encodeObject(body as Record<string, unknown>, { lossless: true });
    if (bytes) return { bytes, contentType: PROTOBUF_MEDIA_TYPE };
  }
  return { bytes: Buffer.from(JSON.stringify(body)), contentType: 'application/json' };
}

function unsupported(accepted: string[]): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

function parseText(text: string, yaml: boolean): unknown {
  if (text.trim() === '') throw statusErrors.badRequest('the request body is empty');
  try {
    return JSON.parse(text);
  } catch (err) {
    if (yaml) {
      try {
        return parseYaml(text);
      } catch (yerr) {
        throw statusErrors.badRequest(`error decoding YAML: ${(yerr as Error).message.split('\n')[0]}`);
      }
    }
    throw statusErrors.badRequest(`json: ${(err as Error).message}`);
  }
}

/**
 * The body of a write. POST/PUT take JSON, YAML or (for kinds with a protobuf form) protobuf;
 * PATCH takes the patch types; anything else is 415 with the list the API server gives.
 */
export function decodeBody(bytes: Buffer, contentType: string | undefined, method: string, target: { apiVersion: string; kind: string } | undefined): unknown {
  const type = mediaType(contentType) || 'application/json';
  if (method === 'PATCH') {
    if (!PATCH_TYPES.includes(type) && type !== 'application/apply-patch+json' && type !== 'application/apply-patch+cbor') {
      throw unsupported(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml', 'application/strategic-merge-patch+json']);
    }
    return parseText(bytes.toString('utf8'), type.includes('yaml'));
  }
  const protobufOk = target ? messageFor(target.apiVersion, target.kind) !== undefined : false;
  if (type === PROTOBUF_MEDIA_TYPE && protobufOk) {
    if (bytes.length === 0) throw statusErrors.badRequest('the request body is empty');
    try {
      return decodeObject(bytes);
    } catch (err) {
      if (err instanceof ProtobufDecodeError) throw statusErrors.badRequest(err.message);
      throw err;
    }
  }
  if (type === 'application/json') return parseText(bytes.toString('utf8'), false);
  if (type === 'application/yaml') return parseText(bytes.toString('utf8'), true);
  throw unsupported(protobufOk ? ['application/json', 'application/yaml', PROTOBUF_MEDIA_TYPE] : ['application/json', 'application/yaml']);
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The `fieldValidation` query parameter (default Warn, as since Kubernetes 1.27). */
export function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw statusErrors.badRequest(`fieldValidation parameter unsupported: ${v}`);
}

/**
 * Unknown fields of a create/update body (or merge patch) under the kind's Go type. Strict: 400
 * `strict decoding error: unknown field "spec.foo"`; Warn: the Warning headers to send.
 */
export function checkUnknownFields(body: unknown, target: { apiVersion: string; kind: string }, mode: FieldValidation, method = 'POST'): string[] {
  if (mode === 'Ignore' || typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const unknown = unknownFields(target.apiVersion, target.kind, body as Record<string, unknown>);
  if (!unknown || unknown.length === 0) return [];
  const messages = unknown.map((p) => `unknown field "${p}"`);
  if (mode === 'Strict') {
    const strict = `strict decoding error: ${messages.join(', ')}`;
    // A create/update fails while decoding the body, which the API server reports with the type it decoded into.
    const version = target.apiVersion.split('/').pop() ?? '';
    throw statusErrors.badRequest(method === 'PATCH' ? strict : `${target.kind} in version "${version}" cannot be handled as a ${target.kind}: ${strict}`);
  }
  return messages.map((m) => `299 - ${JSON.stringify(m)}`);
}
