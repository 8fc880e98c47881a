/**
 * Checking an untrusted reachability request (`{namespaces, pods, policies, queries?}`), so a
 * transport can answer 400 naming the field. Policies must pass `validate` as well.
 */
import { parseIP } from '../cidr/ip.js';
import { validateLabels } from '../labels/label-selector.js';
import { PROTOCOLS, type NetworkPolicy } from '../types/network-policy.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from '../validation/names.js';
import { validate } from '../validation/network-policy.validation.js';
import type { ContainerPortModel, NamespaceModel, PodModel, Query, ReachabilityInput } from './reachability.types.js';

export interface InputError {
  field: string;
  message: string;
}

export type ParsedReachabilityInput = ReachabilityInput & { queries?: Query[] };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringMap(value: unknown, field: string, errors: InputError[]): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    errors.push({ field, message: 'must be a map of strings' });
    return undefined;
  }
  const map = value as Record<string, string>;
  for (const e of validateLabels(map, field)) errors.push({ field: e.field, message: e.message });
  return map;
}

function list(body: Json, key: string, errors: InputError[], required: boolean): unknown[] {
  const value = body[key];
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) {
    errors.push({ field: key, message: required && value === undefined ? 'Required value' : 'must be an array' });
    return [];
  }
  return value;
}

function parseNamespace(value: unknown, field: string, errors: InputError[]): NamespaceModel | undefined {
  if (!isObject(value) || typeof value['name'] !== 'string') {
    errors.push({ field: `${field}.name`, message: 'Required value: a namespace needs a name' });
    return undefined;
  }
  for (const msg of isDNS1123Label(value['name'])) errors.push({ field: `${field}.name`, message: `Invalid value: ${JSON.stringify(value['name'])}: ${msg}` });
  const labels = stringMap(value['labels'], `${field}.labels`, errors);
  return { name: value['name'], ...(labels ? { labels } : {}) };
}

function parsePort(value: unknown, field: string, errors: InputError[]): ContainerPortModel | undefined {
  if (!isObject(value)) {
    errors.push({ field, message: 'must be an object' });
    return undefined;
  }
  const port = value['containerPort'];
  if (typeof port !== 'number' || isValidPortNum(port).length) {
    errors.push({ field: `${field}.containerPort`, message: 'must be between 1 and 65535, inclusive' });
    return undefined;
  }
  const out: ContainerPortModel = { containerPort: port };
  if (value['name'] !== undefined) {
    if (typeof value['name'] !== 'string' || isValidPortName(value['name']).length) errors.push({ field: `${field}.name`, message: 'must be an IANA service name' });
    else out.name = value['name'];
  }
  if (value['protocol'] !== undefined) {
    if (!PROTOCOLS.includes(value['protocol'] as never)) errors.push({ field: `${field}.protocol`, message: `must be one of ${PROTOCOLS.join(', ')}` });
    else out.protocol = value['protocol'] as ContainerPortModel['protocol'] & string;
  }
  return out;
}

function parsePod(value: unknown, field: string, errors: InputError[]): PodModel | undefined {
  if (!isObject(value)) {
    errors.push({ field, message: 'must be an object' });
    return undefined;
  }
  const ns = value['namespace'];
  const name = value['name'];
  if (typeof ns !== 'string' || isDNS1123Label(ns).length) errors.push({ field: `${field}.namespace`, message: 'must be a namespace name' });
  if (typeof name !== 'string' || isDNS1123Subdomain(name).length) errors.push({ field: `${field}.name`, message: 'must be a pod name' });
  const labels = stringMap(value['labels'], `${field}.labels`, errors);
  let ip: string | undefined;
  if (value['ip'] !== undefined) {
    if (typeof value['ip'] !== 'string' || !parseIP(value['ip'])) errors.push({ field: `${field}.ip`, message: 'must be an IP address' });
    else ip = value['ip'];
  }
  let ports: ContainerPortModel[] | undefined;
  if (value['ports'] !== undefined) {
    if (!Array.isArray(value['ports'])) errors.push({ field: `${field}.ports`, message: 'must be an array' });
    else ports = value['ports'].flatMap((p, i) => parsePort(p, `${field}.ports[${i}]`, errors) ?? []);
  }
  if (typeof ns !== 'string' || typeof name !== 'string') return undefined;
  return { namespace: ns, name, ...(labels ? { labels } : {}), ...(ip ? { ip } : {}), ...(ports ? { ports } : {}) };
}

function parseQuery(value: unknown, field: string, errors: InputError[]): Query | undefined {
  if (!isObject(value)) {
    errors.push({ field, message: 'must be an object' });
    return undefined;
  }
  const before = errors.length;
  for (const key of ['from', 'to'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') errors.push({ field: `${field}.${key}`, message: 'must be a pod (namespace/name) or an IP address' });
  }
  const port = value['port'];
  if (!(typeof port === 'number' && isValidPortNum(port).length === 0) && !(typeof port === 'string' && port !== '')) {
    errors.push({ field: `${field}.port`, message: 'must be a port number (1-65535) or a port name' });
  }
  if (value['protocol'] !== undefined && !PROTOCOLS.includes(value['protocol'] as never)) {
    errors.push({ field: `${field}.protocol`, message: `must be one of ${PROTOCOLS.join(', ')}` });
  }
  if (errors.length > before) return undefined;
  return {
    from: value['from'] as string,
    to: value['to'] as string,
    port: port as number | string,
    ...(value['protocol'] ? { protocol: value['protocol'] as Query['protocol'] & string } : {}),
  };
}

/**
 * Parses `{namespaces, pods, policies, queries?}`. Errors name the field (`pods[3].ip`,
 * `policies[0].spec.ingress[0].ports[0].port`, `queries[1].from`); references to unknown pods
 * are checked when the queries are evaluated.
 */
export function parseReachabilityInput(body: unknown): { ok: true; value: ParsedReachabilityInput } | { ok: false; errors: InputError[] } {
  const errors: InputError[] = [];
  if (!isObject(body)) return { ok: false, errors: [{ field: '<root>', message: 'must be an object with namespaces, pods, policies and optional queries' }] };
  const namespaces = list(body, 'namespaces', errors, true).flatMap((n, i) => parseNamespace(n, `namespaces[${i}]`, errors) ?? []);
  const pods = list(body, 'pods', errors, true).flatMap((p, i) => parsePod(p, `pods[${i}]`, errors) ?? []);
  const seen = new Set<string>();
  pods.forEach((p, i) => {
    const ref = `${p.namespace}/${p.name}`;
    if (seen.has(ref)) errors.push({ field: `pods[${i}]`, message: `Duplicate value: "${ref}"` });
    seen.add(ref);
  });
  const policies = list(body, 'policies', errors, true);
  policies.forEach((policy, i) => {
    for (const e of validate(policy)) errors.push({ field: `policies[${i}].${e.field}`, message: e.message });
  });
  const rawQueries = body['queries'];
  let queries: Query[] | undefined;
  if (rawQueries !== undefined && rawQueries !== null) {
    if (!Array.isArray(rawQueries)) errors.push({ field: 'queries', message: 'must be an array' });
    else queries = rawQueries.flatMap((q, i) => parseQuery(q, `queries[${i}]`, errors) ?? []);
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { namespaces, pods, policies: policies as NetworkPolicy[], ...(queries ? { queries } : {}) } };
}
