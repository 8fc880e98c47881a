/**
 * Kubernetes' protobuf wire format (`application/vnd.kubernetes.protobuf`): the 4-byte magic
 * `k8s\0` followed by a `runtime.Unknown` whose `raw` is the object's own message, and the
 * conversion between those messages and the JSON form the store keeps. The messages come from
 * the upstream `.proto` definitions (protobuf/*.proto.ts); a kind is served as protobuf as soon as
 * its message is there, found by apiVersion and kind.
 */
import protobuf from 'protobufjs';
import { APPS_V1_PROTO } from './apps.proto.js';
import { CORE_V1_PROTO } from './core.proto.js';
import { INTSTR_PROTO, META_V1_PROTO, RESOURCE_PROTO, RUNTIME_PROTO } from './meta.proto.js';
import { NETWORKING_V1_PROTO } from './networking.proto.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
export const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const TIME = `.${META}.Time`;
const FIELDS_V1 = `.${META}.FieldsV1`;
const INT_OR_STRING = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = '.k8s.io.apimachinery.pkg.api.resource.Quantity';
const RAW_EXTENSION = '.k8s.io.apimachinery.pkg.runtime.RawExtension';

/** The proto package of each served group/version; `meta.v1` kinds (Status, DeleteOptions) answer under any version. */
const PACKAGES: Record<string, string> = {
  v1: 'k8s.io.api.core.v1',
  'networking.k8s.io/v1': 'k8s.io.api.networking.v1',
  'apps/v1': 'k8s.io.api.apps.v1',
};
const META_KINDS = new Set(['Status', 'DeleteOptions', 'WatchEvent']);

/** Proto sources in dependency order; another group adds its text here and its package above. */
export const PROTO_SOURCES: readonly string[] = [META_V1_PROTO, RUNTIME_PROTO, INTSTR_PROTO, RESOURCE_PROTO, CORE_V1_PROTO, NETWORKING_V1_PROTO, APPS_V1_PROTO];

let rootCache: protobuf.Root | undefined;

/** All messages, parsed once (comments kept: the OpenAPI documents use them). */
export function protoRoot(): protobuf.Root {
  if (rootCache) return rootCache;
  const root = new protobuf.Root();
  for (const src of PROTO_SOURCES) protobuf.parse(src, root, { keepCase: true, alternateCommentMode: true });
  root.resolveAll();
  rootCache = root;
  return root;
}

/** The message of a kind (`NetworkPolicy`, `NetworkPolicyList`, `Status`…), if it has a protobuf form. */
export function messageFor(apiVersion: string, kind: string): protobuf.Type | undefined {
  const pkg = META_KINDS.has(kind) ? META : PACKAGES[apiVersion];
  if (!pkg) return undefined;
  const found = protoRoot().lookup(`${pkg}.${kind}`);
  return found instanceof protobuf.Type ? found : undefined;
}

function type(name: string): protobuf.Type {
  return protoRoot().lookupType(name);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

function timeToString(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof (v as { toNumber?: () => number }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return Number(v);
}

/** Message types whose JSON form is not an object with the same fields. */
const special: Record<string, { toProto(v: unknown): Json; fromProto(m: Json): unknown }> = {
  [TIME]: {
    toProto: (v) => ({ seconds: Math.floor(Date.parse(String(v)) / 1000) }),
    // A zero time travels as an empty message and reads back as null (absent); like the Go
    // decoder, sub-second precision is dropped.
    fromProto: (m) => (has(m, 'seconds') || has(m, 'nanos') ? timeToString(num(m.seconds ?? 0)) : undefined),
  },
  [INT_OR_STRING]: {
    toProto: (v) => (typeof v === 'string' ? { type: 1, intVal: 0, strVal: v } : { type: 0, intVal: v, strVal: '' }),
    fromProto: (m) => (num(m.type ?? 0) === 1 ? String(m.strVal ?? '') : num(m.intVal ?? 0)),
  },
  [QUANTITY]: {
    toProto: (v) => ({ string: String(v) }),
    fromProto: (m) => String(m.string ?? ''),
  },
  [FIELDS_V1]: {
    toProto: (v) => ({ Raw: Buffer.from(JSON.stringify(v)) }),
    fromProto: (m) => (m.Raw && (m.Raw as Uint8Array).length ? JSON.parse(Buffer.from(m.Raw as Uint8Array).toString('utf8')) : {}),
  },
  [RAW_EXTENSION]: {
    toProto: (v) => ({ raw: Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v)) }),
    fromProto: (m) => (m.raw && (m.raw as Uint8Array).length ? JSON.parse(Buffer.from(m.raw as Uint8Array).toString('utf8')) : undefined),
  },
};

function has(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function fullName(t: protobuf.Type): string {
  return t.fullName.startsWith('.') ? t.fullName : `.${t.fullName}`;
}

function scalarToProto(field: protobuf.Field, v: unknown): unknown {
  if (field.type === 'bytes') return typeof v === 'string' ? Buffer.from(v, 'base64') : v;
  return v;
}

function valueToProto(field: protobuf.Field, v: unknown, dropped?: string[]): unknown {
  const rt = field.resolvedType;
  if (rt instanceof protobuf.Type) {
    const sp = special[fullName(rt)];
    if (sp) return sp.toProto(v);
    return isObject(v) ? jsonToProto(rt, v, dropped) : v;
  }
  return scalarToProto(field, v);
}

/** JSON object → the plain form protobufjs encodes (fields the message lacks are left out, and counted in `dropped`). */
export function jsonToProto(t: protobuf.Type, json: Json, dropped?: string[]): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(json)) {
    const field = t.fields[k];
    if (v === null || v === undefined) continue;
    if (!field) {
      dropped?.push(k);
      continue;
    }
    if (field.map) {
      if (!isObject(v)) continue;
      out[k] = Object.fromEntries(Object.entries(v).map(([mk, mv]) => [mk, valueToProto(field, mv, dropped)]));
    } else if (field.repeated) {
      if (Array.isArray(v)) out[k] = v.map((item) => valueToProto(field, item, dropped));
    } else {
      out[k] = valueToProto(field, v, dropped);
    }
  }
  return out;
}

function scalarFromProto(field: protobuf.Field, v: unknown): unknown {
  if (field.type === 'bytes') return Buffer.from(v as Uint8Array).toString('base64');
  if (['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'].includes(field.type)) return num(v);
  return v;
}

function valueFromProto(field: protobuf.Field, v: unknown): unknown {
  const rt = field.resolvedType;
  if (rt instanceof protobuf.Type) {
    const sp = special[fullName(rt)];
    return sp ? sp.fromProto(v as Json) : protoToJson(rt, v as Json);
  }
  return scalarFromProto(field, v);
}

const zero = (v: unknown) => v === '' || v === 0 || v === false;

/**
 * A decoded message → JSON. Go writes every non-pointer field, zero or not; its JSON leaves
 * empty values out (`omitempty`), so zero scalars and empty lists and maps read as absent here.
 * Embedded messages stay, even when empty (`podSelector: {}`).
 */
export function protoToJson(t: protobuf.Type, m: Json): Json {
  const out: Json = {};
  for (const field of t.fieldsArray) {
    if (!has(m, field.name)) continue;
    const v = m[field.name];
    if (v === null || v === undefined) continue;
    if (field.map) {
      const entries = Object.entries(v as Json);
      if (entries.length) out[field.name] = Object.fromEntries(entries.map(([k, x]) => [k, valueFromProto(field, x)]));
    } else if (field.repeated) {
      const items = v as unknown[];
      if (items.length) out[field.name] = items.map((x) => valueFromProto(field, x));
    } else {
      const c = valueFromProto(field, v);
      if (c !== undefined && !zero(c)) out[field.name] = c;
    }
  }
  return out;
}

export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';
}

/** Encodes a message (no envelope). */
export function encodeMessage(t: protobuf.Type, json: Json, dropped?: string[]): Uint8Array {
  return t.encode(t.fromObject(jsonToProto(t, json, dropped))).finish();
}

/**
 * Field numbers in the bytes that the messages here do not have (`spec#1` = field 1 of the spec
 * message). The simulator carries a subset of some upstream messages (PodSpec without volumes…);
 * a body using the rest is refused rather than silently losing those fields.
 */
export function unmodelledFields(t: protobuf.Type, bytes: Uint8Array, path = ''): string[] {
  const out: string[] = [];
  const r = protobuf.Reader.create(bytes);
  while (r.pos < r.len) {
    const tagValue = r.uint32();
    const no = tagValue >>> 3;
    const wire = tagValue & 7;
    const field = t.fieldsById[no];
    if (!field) {
      out.push(`${path || t.name}#${no}`);
      r.skipType(wire);
      continue;
    }
    const rt = field.resolvedType;
    if (wire === 2 && rt instanceof protobuf.Type && !field.map && !special[fullName(rt)]) {
      out.push(...unmodelledFields(rt, r.bytes(), path ? `${path}.${field.name}` : field.name));
    } else {
      r.skipType(wire);
    }
  }
  return out;
}

/** Decodes a message (no envelope) into JSON. */
export function decodeMessage(t: protobuf.Type, bytes: Uint8Array): Json {
  let unmodelled: string[];
  try {
    unmodelled = unmodelledFields(t, bytes);
  } catch (err) {
    throw new ProtobufDecodeError((err as Error).message);
  }
  if (unmodelled.length) {
    throw new ProtobufDecodeError(`kube-sim does not model protobuf field(s) ${unmodelled.join(', ')} of ${t.name}; send this object as JSON or YAML`);
  }
  try {
    return protoToJson(t, t.decode(bytes) as unknown as Json);
  } catch (err) {
    throw new ProtobufDecodeError((err as Error).message);
  }
}

/**
 * An object with `apiVersion` and `kind` in the `k8s\0` + runtime.Unknown envelope; undefined if
 * the kind has no protobuf form, or (with `lossless`) if a field would not survive (one a subset
 * message lacks) — the caller then answers JSON.
 */
export function encodeObject(obj: Json, opts: { lossless?: boolean } = {}): Buffer | undefined {
  const apiVersion = String(obj.apiVersion ?? '');
  const kind = String(obj.kind ?? '');
  const t = messageFor(apiVersion, kind);
  if (!t) return undefined;
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  const dropped: string[] = [];
  const raw = encodeMessage(t, rest, dropped);
  if (opts.lossless && dropped.length) return undefined;
  const unknown = type('k8s.io.apimachinery.pkg.runtime.Unknown');
  // Like the Go encoder, every field of Unknown is written, empty strings included.
  const env = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([MAGIC, env]);
}

/** The envelope → `{apiVersion, kind, …fields}`. Throws ProtobufDecodeError with the API server's wording. */
export function decodeObject(bytes: Uint8Array): Json {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 4 || !buf.subarray(0, 4).equals(MAGIC)) {
    throw new ProtobufDecodeError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  let env: Json;
  try {
    const unknown = type('k8s.io.apimachinery.pkg.runtime.Unknown');
    env = unknown.decode(buf.subarray(4)) as unknown as Json;
  } catch (err) {
    throw new ProtobufDecodeError((err as Error).message);
  }
  const tm = (env.typeMeta ?? {}) as Json;
  const apiVersion = String(tm.apiVersion ?? '');
  const kind = String(tm.kind ?? '');
  if (env.contentEncoding) throw new ProtobufDecodeError(`unsupported content encoding "${String(env.contentEncoding)}"`);
  const t = messageFor(apiVersion, kind);
  if (!t) throw new ProtobufDecodeError(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/runtime/scheme.go:100"`);
  const raw = (env.raw as Uint8Array | undefined) ?? new Uint8Array();
  return { apiVersion, kind, ...decodeMessage(t, raw) };
}

/**
 * One event of a protobuf watch stream: a 4-byte big-endian length, then a `meta.v1.WatchEvent`
 * without envelope whose `object.raw` is the object in its own envelope.
 */
export function encodeWatchFrame(eventType: string, obj: Json): Buffer | undefined {
  const inner = encodeObject(obj);
  if (!inner) return undefined;
  const ev = type(`${META}.WatchEvent`);
  const body = ev.encode(ev.fromObject({ type: eventType, object: { raw: inner } })).finish();
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** Reads the frames of a protobuf watch stream back (for tests and clients). */
export function decodeWatchFrames(stream: Buffer): { type: string; object: Json }[] {
  const out: { type: string; object: Json }[] = [];
  const ev = type(`${META}.WatchEvent`);
  let off = 0;
  while (off + 4 <= stream.length) {
    const len = stream.readUInt32BE(off);
    const body = stream.subarray(off + 4, off + 4 + len);
    off += 4 + len;
    const m = ev.decode(body) as unknown as { type?: string; object?: { raw?: Uint8Array } };
    out.push({ type: m.type ?? '', object: decodeObject(m.object?.raw ?? new Uint8Array()) });
  }
  return out;
}

/** Messages marked `+kubesim:subset` carry only some of the upstream fields (PodSpec without volumes…). */
export function isSubset(t: protobuf.Type): boolean {
  return /\+kubesim:subset/.test(t.comment ?? '');
}

/** Whether a message or one it contains is a subset of its upstream type. */
export function hasSubsetMessage(t: protobuf.Type, seen = new Set<protobuf.Type>()): boolean {
  if (seen.has(t)) return false;
  seen.add(t);
  if (isSubset(t)) return true;
  return t.fieldsArray.some((f) => f.resolvedType instanceof protobuf.Type && hasSubsetMessage(f.resolvedType, seen));
}

/**
 * JSON paths (`spec.ingress[0].foo`) of fields the kind's Go type does not have — what strict
 * decoding refuses. Inside a subset message a field it lacks may be a real one, so it is not reported.
 */
export function unknownFields(apiVersion: string, kind: string, body: Json): string[] | undefined {
  const t = messageFor(apiVersion, kind);
  if (!t) return undefined;
  const out: string[] = [];
  const walk = (mt: protobuf.Type, v: Json, path: string, top: boolean) => {
    for (const [k, x] of Object.entries(v)) {
      if (top && (k === 'apiVersion' || k === 'kind')) continue;
      if (k.startsWith('$')) continue; // strategic-merge-patch directives
      const field = mt.fields[k];
      const p = path ? `${path}.${k}` : k;
      if (!field) {
        if (!isSubset(mt)) out.push(p);
        continue;
      }
      const rt = field.resolvedType;
      if (!(rt instanceof protobuf.Type) || special[fullName(rt)]) continue;
      if (field.map) {
        if (isObject(x)) for (const [mk, mv] of Object.entries(x)) if (isObject(mv)) walk(rt, mv, `${p}[${mk}]`, false);
      } else if (field.repeated) {
        if (Array.isArray(x)) x.forEach((item, i) => isObject(item) && walk(rt, item, `${p}[${i}]`, false));
      } else if (isObject(x)) {
        walk(rt, x, p, false);
      }
    }
  };
  walk(t, body, '', true);
  return out;
}
