/**
 * The OpenAPI documents kube-apiserver serves (`/openapi/v2`, `/openapi/v3` and one v3 document
 * per group/version), generated from the protobuf messages the simulator decodes and checks
 * fields with: field names and types from the messages, descriptions from their comments, and
 * `required`, `x-kubernetes-list-type`, `x-kubernetes-patch-strategy`… from the Go markers kept in
 * those comments (`+optional`, `+listType=atomic`, `+patchStrategy=merge`). A served kind needs
 * nothing more than its ResourceKind and its messages.
 */
import { createHash } from 'node:crypto';
import protobuf from 'protobufjs';
import { messageFor } from '../protobuf/codec.js';

/** What a document needs of a served kind (a ResourceKind has it). */
export interface ServedKind {
  apiVersion: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  ref: { resource: string };
}

type Schema = Record<string, unknown>;
type Flavor = 'v2' | 'v3';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** `k8s.io.api.networking.v1.NetworkPolicy` → `io.k8s.api.networking.v1.NetworkPolicy` (the upstream definition names). */
export function definitionName(t: protobuf.Type): string {
  const full = t.fullName.replace(/^\./, '');
  return full.startsWith('k8s.io.') ? `io.k8s.${full.slice('k8s.io.'.length)}` : full;
}

/** Comment → description (marker lines dropped, paragraphs kept) and markers. */
export function parseComment(comment: string | null | undefined): { description: string; markers: Map<string, string> } {
  const markers = new Map<string, string>();
  const paragraphs: string[][] = [[]];
  for (const raw of (comment ?? '').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('+')) {
      const eq = line.indexOf('=');
      markers.set(eq < 0 ? line.slice(1) : line.slice(1, eq), eq < 0 ? '' : line.slice(eq + 1));
      continue;
    }
    if (line === '') {
      if ((paragraphs.at(-1) as string[]).length) paragraphs.push([]);
      continue;
    }
    (paragraphs.at(-1) as string[]).push(line);
  }
  return { description: paragraphs.filter((p) => p.length).map((p) => p.join(' ')).join('\n\n'), markers };
}

/** Types whose schema is not their message's fields (their JSON is a string or free-form). */
const SPECIAL: Record<string, Schema> = {
  [`${META}.Time`]: { type: 'string', format: 'date-time', description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.' },
  [`${META}.FieldsV1`]: {
    type: 'object',
    description:
      "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is position of a item in a list 'k:<keys>', where <keys> is a map of  a list item's key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of the set.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff",
  },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string', description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.' },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string', description: 'Quantity is a fixed-point representation of a number.' },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object', description: 'RawExtension is used to hold extensions in external versions.' },
};

const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

function ref(flavor: Flavor, name: string): string {
  return flavor === 'v2' ? `#/definitions/${name}` : `#/components/schemas/${name}`;
}

function scalar(type: string): Schema {
  switch (type) {
    case 'string':
      return { type: 'string' };
    case 'bool':
      return { type: 'boolean' };
    case 'int32':
      return { type: 'integer', format: 'int32' };
    case 'int64':
      return { type: 'integer', format: 'int64' };
    case 'bytes':
      return { type: 'string', format: 'byte' };
    case 'double':
      return { type: 'number', format: 'double' };
    default:
      return { type: 'string' };
  }
}

/** Collects the definitions of a message and everything it references. */
class Definitions {
  readonly defs: Record<string, Schema> = {};
  constructor(private readonly flavor: Flavor) {}

  private refTo(t: protobuf.Type, withDefault: boolean): Schema {
    const name = this.add(t);
    if (this.flavor === 'v2') return { $ref: ref('v2', name) };
    return withDefault ? { allOf: [{ $ref: ref('v3', name) }], default: {} } : { allOf: [{ $ref: ref('v3', name) }] };
  }

  /** Adds the definition of a message (and what it references); returns its name. */
  add(t: protobuf.Type, gvk?: { group: string; version: string; kind: string }, typeMeta = false): string {
    const name = definitionName(t);
    if (this.defs[name]) return name;
    if (SPECIAL[name]) {
      this.defs[name] = SPECIAL[name];
      return name;
    }
    const def: Schema = {};
    this.defs[name] = def;
    const { description } = parseComment(t.comment);
    if (description) def.description = description;
    def.type = 'object';
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    if (typeMeta) {
      properties.apiVersion = { description: API_VERSION_DOC, type: 'string' };
      properties.kind = { description: KIND_DOC, type: 'string' };
    }
    for (const field of t.fieldsArray) {
      const { description: fd, markers } = parseComment(field.comment);
      const rt = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
      let prop: Schema;
      if (field.map) {
        const valueSchema = rt ? this.refTo(rt, true) : { ...scalar(field.type), ...(this.flavor === 'v3' && field.type === 'string' ? { default: '' } : {}) };
        prop = { type: 'object', additionalProperties: valueSchema };
      } else if (field.repeated) {
        const items = rt ? this.refTo(rt, true) : { ...scalar(field.type), ...(this.flavor === 'v3' && field.type === 'string' ? { default: '' } : {}) };
        prop = { type: 'array', items };
      } else if (rt) {
        const special = SPECIAL[definitionName(rt)];
        prop = special && this.flavor === 'v2' ? { $ref: ref('v2', this.add(rt)) } : this.refTo(rt, !markers.has('optional') || special === undefined);
        if (this.flavor === 'v3' && 'default' in prop && special) delete prop.default;
      } else {
        prop = scalar(field.type);
      }
      if (fd) prop = { description: fd, ...prop };
      const listType = markers.get('listType');
      if (listType) prop['x-kubernetes-list-type'] = listType;
      const mapKeys = [...(field.comment ?? '').matchAll(/\+listMapKey=(\S+)/g)].map((m) => m[1]);
      if (mapKeys.length) prop['x-kubernetes-list-map-keys'] = mapKeys;
      if (markers.has('patchMergeKey')) prop['x-kubernetes-patch-merge-key'] = markers.get('patchMergeKey');
      if (markers.has('patchStrategy')) prop['x-kubernetes-patch-strategy'] = markers.get('patchStrategy');
      if (!markers.has('optional') && !field.map) required.push(field.name);
      properties[field.name] = prop;
    }
    def.properties = Object.fromEntries(Object.entries(properties).sort(([a], [b]) => a.localeCompare(b)));
    if (required.length) def.required = required.sort();
    // The simulator carries only part of this type: fields it does not list are still accepted.
    if (parseComment(t.comment).markers.has('kubesim:subset')) def['x-kubernetes-preserve-unknown-fields'] = true;
    const structType = parseComment(t.comment).markers.get('structType');
    if (structType) def['x-kubernetes-map-type'] = structType;
    if (gvk) def['x-kubernetes-group-version-kind'] = [gvk];
    return name;
  }
}

function gvkOf(apiVersion: string, kind: string): { group: string; version: string; kind: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion, kind } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

/** Query parameters as the API server documents them (the ones kubectl looks for included). */
const PARAMS: Record<string, Schema> = {
  dryRun: { name: 'dryRun', in: 'query', description: 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed', type: 'string', uniqueItems: true },
  fieldManager: { name: 'fieldManager', in: 'query', description: 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.', type: 'string', uniqueItems: true },
  fieldValidation: {
    name: 'fieldValidation',
    in: 'query',
    description:
      'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.',
    type: 'string',
    uniqueItems: true,
  },
  force: { name: 'force', in: 'query', description: 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.', type: 'boolean', uniqueItems: true },
  labelSelector: { name: 'labelSelector', in: 'query', description: 'A selector to restrict the list of returned objects by their labels. Defaults to everything.', type: 'string', uniqueItems: true },
  fieldSelector: { name: 'fieldSelector', in: 'query', description: 'A selector to restrict the list of returned objects by their fields. Defaults to everything.', type: 'string', uniqueItems: true },
  limit: { name: 'limit', in: 'query', description: 'limit is a maximum number of responses to return for a list call.', type: 'integer', uniqueItems: true },
  continue: { name: 'continue', in: 'query', description: 'The continue option should be set when retrieving more results from the server.', type: 'string', uniqueItems: true },
  resourceVersion: { name: 'resourceVersion', in: 'query', description: 'resourceVersion sets a constraint on what resource versions a request may be served from.', type: 'string', uniqueItems: true },
  name: { name: 'name', in: 'path', required: true, description: 'name of the {kind}', type: 'string', uniqueItems: true },
  namespace: { name: 'namespace', in: 'path', required: true, description: 'object name and auth scope, such as for teams and projects', type: 'string', uniqueItems: true },
  pretty: { name: 'pretty', in: 'query', description: "If 'true', then the output is pretty printed.", type: 'string', uniqueItems: true },
};

function param(flavor: Flavor, key: string, kind: string): Schema {
  const p = { ...(PARAMS[key] as Schema) };
  if (typeof p.description === 'string') p.description = p.description.replace('{kind}', kind);
  if (flavor === 'v2') return p;
  const { type, uniqueItems: _u, ...rest } = p;
  return { ...rest, schema: { type, uniqueItems: true } };
}

const MEDIA = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const PATCH_MEDIA = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

function pathsFor(flavor: Flavor, k: ServedKind, objRef: string, listRef: string): Record<string, Schema> {
  const gvk = gvkOf(k.apiVersion, k.kind);
  const prefix = k.apiVersion === 'v1' ? '/api/v1' : `/apis/${k.apiVersion}`;
  const groupTag = (gvk.group ? gvk.group.split('.')[0] : 'core') + (gvk.version[0]?.toUpperCase() ?? '') + gvk.version.slice(1);
  const scope = k.namespaced ? 'Namespaced' : '';
  const op = (action: string, verb: string, resultRef: string, params: string[], body: 'object' | 'patch' | undefined, codes: number[]): Schema => {
    const responses: Record<string, Schema> = {};
    for (const c of codes) {
      responses[String(c)] =
        flavor === 'v2'
          ? { description: c === 201 ? 'Created' : c === 202 ? 'Accepted' : 'OK', schema: { $ref: resultRef } }
          : { description: c === 201 ? 'Created' : c === 202 ? 'Accepted' : 'OK', content: Object.fromEntries(MEDIA.map((m) => [m, { schema: { $ref: resultRef } }])) };
    }
    responses['401'] = { description: 'Unauthorized' };
    const out: Schema = {
      description: `${verb} ${action === 'list' ? 'objects of kind ' : 'the specified '}${k.kind}`,
      operationId: `${verb}${gvk.group ? groupTag.charAt(0).toUpperCase() + groupTag.slice(1) : 'CoreV1'}${scope}${k.kind}`,
      tags: [groupTag],
      parameters: params.map((p) => param(flavor, p, k.kind)),
      responses,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    };
    if (flavor === 'v2') {
      out.consumes = body === 'patch' ? PATCH_MEDIA : ['*/*'];
      out.produces = MEDIA;
      out.schemes = ['https'];
      if (body) (out.parameters as Schema[]).unshift({ name: 'body', in: 'body', required: true, schema: { $ref: body === 'patch' ? ref('v2', `${META}.Patch`) : objRef } });
    } else if (body) {
      const schema = { $ref: body === 'patch' ? ref('v3', `${META}.Patch`) : objRef };
      out.requestBody = { required: true, content: Object.fromEntries((body === 'patch' ? PATCH_MEDIA : ['*/*']).map((m) => [m, { schema }])) };
    }
    return out;
  };
  const common = (withName: boolean) => [...(withName ? ['name'] : []), ...(k.namespaced ? ['namespace'] : []), 'pretty'].map((p) => param(flavor, p, k.kind));
  const listParams = ['continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion'];
  const collection = `${prefix}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.ref.resource}`;
  const paths: Record<string, Schema> = {
    [collection]: {
      get: op('list', 'list', listRef, listParams, undefined, [200]),
      post: op('post', 'create', objRef, ['dryRun', 'fieldManager', 'fieldValidation'], 'object', [200, 201, 202]),
      parameters: common(false),
    },
    [`${collection}/{name}`]: {
      get: op('get', 'read', objRef, [], undefined, [200]),
      put: op('put', 'replace', objRef, ['dryRun', 'fieldManager', 'fieldValidation'], 'object', [200, 201]),
      patch: op('patch', 'patch', objRef, ['dryRun', 'fieldManager', 'fieldValidation', 'force'], 'patch', [200, 201]),
      delete: op('delete', 'delete', ref(flavor, `${META}.Status`), ['dryRun'], undefined, [200, 202]),
      parameters: common(true),
    },
  };
  if (k.namespaced) {
    paths[`${prefix}/${k.ref.resource}`] = { get: op('list', 'list', listRef, listParams, undefined, [200]), parameters: [param(flavor, 'pretty', k.kind)] };
  }
  return paths;
}

function collect(flavor: Flavor, kinds: readonly ServedKind[]): { defs: Definitions; paths: Record<string, Schema> } {
  const defs = new Definitions(flavor);
  const paths: Record<string, Schema> = {};
  const status = messageFor('v1', 'Status') as protobuf.Type;
  defs.add(status, { group: '', version: 'v1', kind: 'Status' }, true);
  defs.defs[`${META}.Patch`] = { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' };
  for (const k of kinds) {
    const obj = messageFor(k.apiVersion, k.kind);
    const list = messageFor(k.apiVersion, k.listKind);
    if (!obj || !list) continue;
    const objName = defs.add(obj, gvkOf(k.apiVersion, k.kind), true);
    const listName = defs.add(list, gvkOf(k.apiVersion, k.listKind), true);
    Object.assign(paths, pathsFor(flavor, k, ref(flavor, objName), ref(flavor, listName)));
  }
  return { defs, paths };
}

const sortKeys = (o: Record<string, Schema>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/** The `/openapi/v2` document (Swagger 2.0) of the served kinds. */
export function openApiV2(kinds: readonly ServedKind[], gitVersion: string): Schema {
  const { defs, paths } = collect('v2', kinds);
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths: sortKeys(paths),
    definitions: sortKeys(defs.defs),
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}

/** `api/v1`, `apis/networking.k8s.io/v1`: the discovery key of a group/version. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion === 'v1' ? 'api/v1' : `apis/${apiVersion}`;
}

/** The v3 document of one group/version. */
export function openApiV3(kinds: readonly ServedKind[], apiVersion: string, gitVersion: string): Schema {
  const { defs, paths } = collect('v3', kinds.filter((k) => k.apiVersion === apiVersion));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths: sortKeys(paths),
    components: { schemas: sortKeys(defs.defs), securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } } },
  };
}

/** The ETag-like hash in `serverRelativeURL`: upper-case SHA-512 of the document, as kube-apiserver computes it. */
export function documentHash(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
}

/** The `/openapi/v3` discovery document. */
export function openApiV3Discovery(kinds: readonly ServedKind[], gitVersion: string, prefix = ''): Schema {
  const groupVersions = [...new Set(kinds.map((k) => k.apiVersion))].sort();
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions) {
    const key = groupVersionPath(gv);
    paths[key] = { serverRelativeURL: `${prefix}/openapi/v3/${key}?hash=${documentHash(openApiV3(kinds, gv, gitVersion))}` };
  }
  return { paths };
}
