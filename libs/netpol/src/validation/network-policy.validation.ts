/**
 * validate(policy): the checks of the Kubernetes API server for networking.k8s.io/v1
 * NetworkPolicy (pkg/apis/networking/validation ValidateNetworkPolicy plus apimachinery's
 * ValidateObjectMeta and ValidateLabelSelector), with the same field paths and wording.
 *
 * The input is arbitrary JSON: a value of the wrong JSON type is reported as
 * FieldValueTypeInvalid (the API server would refuse to decode it) and never throws.
 */
import { cidrIsStrictSubset, parseCidr } from '../cidr/ip.js';
import { validateLabels, validateLabelSelector, type LabelSelector } from '../labels/label-selector.js';
import { PROTOCOLS, POLICY_TYPES } from '../types/network-policy.js';
import { fieldError, GoValue, type FieldError } from './field-error.js';
import { byteLength, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortName, isValidPortNum } from './names.js';

export interface ValidateOptions {
  /** NetworkPolicy is namespaced: without a namespace the API server reports it as required. Default true. */
  requireNamespace?: boolean;
  /**
   * Which API server wording to reproduce where versions differ (ipBlock and endPort checks):
   * - `legacy` (default): Kubernetes up to 1.32, the wording issue 3 quotes: `not a valid CIDR`,
   *   the endPort-below-port error shows `port`'s value, and ipBlock checking stops at the first
   *   unparseable `except` entry.
   * - `current`: Kubernetes 1.33+: `must be a valid CIDR value, (e.g. 10.9.8.0/24 or
   *   2001:db8::/64)`, the endPort error shows endPort's value, every `except` entry is checked.
   */
  profile?: 'legacy' | 'current';
  /**
   * With profile `current`: the StrictIPCIDRValidation feature gate (leading zeros, IPv4-mapped
   * IPv6 and host bits beyond the prefix are rejected). Default false.
   */
  strictCidr?: boolean;
}

const CURRENT_CIDR_MESSAGE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** The API server's limit on the summed size of annotation keys and values. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

class Checker {
  readonly errors: FieldError[] = [];
  constructor(readonly options: ValidateOptions = {}) {}

  get current(): boolean {
    return this.options.profile === 'current';
  }

  typeError(path: string, value: unknown, expected: string): void {
    this.errors.push(fieldError.typeInvalid(path, new GoValue(jsonType(value)), `must be ${expected}`));
  }

  /** An optional object field: undefined when absent or of the wrong type (reported). */
  object(parent: Json, key: string, path: string): Json | undefined {
    const value = parent[key];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) {
      this.typeError(path, value, 'an object');
      return undefined;
    }
    return value;
  }

  array(parent: Json, key: string, path: string): unknown[] | undefined {
    const value = parent[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.typeError(path, value, 'an array');
      return undefined;
    }
    return value;
  }

  string(parent: Json, key: string, path: string): string | undefined {
    const value = parent[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.typeError(path, value, 'a string');
      return undefined;
    }
    return value;
  }

  integer(parent: Json, key: string, path: string): number | undefined {
    const value = parent[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.typeError(path, value, 'an integer');
      return undefined;
    }
    return value;
  }

  stringMap(parent: Json, key: string, path: string): Record<string, string> | undefined {
    const value = this.object(parent, key, path);
    if (!value) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') this.typeError(`${path}[${k}]`, v, 'a string');
      else out[k] = v;
    }
    return out;
  }

  /** A LabelSelector after type checks, so the semantic checks can run on the rest. */
  selector(value: unknown, path: string): LabelSelector | undefined {
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) {
      this.typeError(path, value, 'an object');
      return undefined;
    }
    const selector: LabelSelector = {};
    const matchLabels = this.stringMap(value, 'matchLabels', `${path}.matchLabels`);
    if (matchLabels) selector.matchLabels = matchLabels;
    const exprs = this.array(value, 'matchExpressions', `${path}.matchExpressions`);
    if (exprs) {
      selector.matchExpressions = [];
      exprs.forEach((expr, i) => {
        const exprPath = `${path}.matchExpressions[${i}]`;
        if (!isObject(expr)) {
          this.typeError(exprPath, expr, 'an object');
          return;
        }
        const key = this.string(expr, 'key', `${exprPath}.key`) ?? '';
        const operator = this.string(expr, 'operator', `${exprPath}.operator`) ?? '';
        const rawValues = this.array(expr, 'values', `${exprPath}.values`) ?? [];
        const values: string[] = [];
        rawValues.forEach((v, j) => {
          if (typeof v !== 'string') this.typeError(`${exprPath}.values[${j}]`, v, 'a string');
          else values.push(v);
        });
        selector.matchExpressions?.push({ key, operator: operator as 'In', values });
      });
    }
    return selector;
  }
}

function validateMetadata(c: Checker, metadata: Json, options: ValidateOptions): void {
  const path = 'metadata';
  const name = c.string(metadata, 'name', `${path}.name`) ?? '';
  const generateName = c.string(metadata, 'generateName', `${path}.generateName`) ?? '';
  if (generateName.length) {
    const masked = generateName.length > 1 && generateName.endsWith('-') ? generateName.slice(0, -1) : generateName;
    for (const msg of isDNS1123Subdomain(masked)) c.errors.push(fieldError.invalid(`${path}.generateName`, generateName, msg));
  }
  if (name.length === 0) {
    c.errors.push(fieldError.required(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const msg of isDNS1123Subdomain(name)) c.errors.push(fieldError.invalid(`${path}.name`, name, msg));
  }
  const namespace = c.string(metadata, 'namespace', `${path}.namespace`) ?? '';
  if (namespace.length === 0) {
    if (options.requireNamespace !== false) c.errors.push(fieldError.required(`${path}.namespace`));
  } else {
    for (const msg of isDNS1123Label(namespace)) c.errors.push(fieldError.invalid(`${path}.namespace`, namespace, msg));
  }
  const generation = c.integer(metadata, 'generation', `${path}.generation`);
  if (generation !== undefined && generation < 0) {
    c.errors.push(fieldError.invalid(`${path}.generation`, generation, 'must be greater than or equal to 0'));
  }
  c.errors.push(...validateLabels(c.stringMap(metadata, 'labels', `${path}.labels`), `${path}.labels`));
  const annotations = c.stringMap(metadata, 'annotations', `${path}.annotations`);
  if (annotations) {
    let total = 0;
    for (const key of Object.keys(annotations).sort()) {
      for (const msg of isQualifiedName(key.toLowerCase())) c.errors.push(fieldError.invalid(`${path}.annotations`, key, msg));
      total += byteLength(key) + byteLength(annotations[key] ?? '');
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) c.errors.push(fieldError.tooLong(`${path}.annotations`, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  }
}

function validatePort(c: Checker, port: unknown, path: string): void {
  if (!isObject(port)) {
    c.typeError(path, port, 'an object');
    return;
  }
  const protocol = c.string(port, 'protocol', `${path}.protocol`);
  if (protocol !== undefined && !(PROTOCOLS as readonly string[]).includes(protocol)) {
    c.errors.push(fieldError.notSupported(`${path}.protocol`, protocol, PROTOCOLS));
  }
  const endPort = c.integer(port, 'endPort', `${path}.endPort`);
  const value = port['port'];
  if (value === undefined || value === null) {
    if (endPort !== undefined) {
      c.errors.push(fieldError.invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is not specified'));
    }
    return;
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    for (const msg of isValidPortNum(value)) c.errors.push(fieldError.invalid(`${path}.port`, value, msg));
    if (endPort !== undefined) {
      // Up to 1.32 the API server reported `port`'s value here; later versions endPort's.
      if (endPort < value) c.errors.push(fieldError.invalid(`${path}.endPort`, c.current ? endPort : value, 'must be greater than or equal to `port`'));
      for (const msg of isValidPortNum(endPort)) c.errors.push(fieldError.invalid(`${path}.endPort`, endPort, msg));
    }
  } else if (typeof value === 'string') {
    if (endPort !== undefined) {
      c.errors.push(fieldError.invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is non-numeric'));
    }
    for (const msg of isValidPortName(value)) c.errors.push(fieldError.invalid(`${path}.port`, value, msg));
  } else {
    c.typeError(`${path}.port`, value, 'an integer or a string');
  }
}

/** Errors for one CIDR string (cidr or an except entry) in the profile's wording. */
function cidrErrors(c: Checker, path: string, text: string): FieldError[] {
  const parsed = parseCidr(text);
  if (!parsed) return [fieldError.invalid(path, text, c.current ? CURRENT_CIDR_MESSAGE : 'not a valid CIDR')];
  if (!c.current || !c.options.strictCidr) return [];
  const slash = text.indexOf('/');
  const addr = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  const leadingZero = /(^|[.])0[0-9]/.test(addr.includes(':') ? '' : addr) || /^0[0-9]/.test(prefix);
  if (leadingZero) return [fieldError.invalid(path, text, 'must not have leading 0s in IP or prefix length')];
  if (/^::ffff:[0-9]+\./i.test(addr)) return [fieldError.invalid(path, text, 'must not have an IPv4-mapped IPv6 address')];
  if (parsed.address !== parsed.network) return [fieldError.invalid(path, text, 'must not have bits set beyond the prefix length')];
  return [];
}

function validateIPBlock(c: Checker, ipBlock: Json, path: string): void {
  const cidrText = c.string(ipBlock, 'cidr', `${path}.cidr`) ?? '';
  if (cidrText === '') {
    c.errors.push(fieldError.required(`${path}.cidr`));
    return;
  }
  c.errors.push(...cidrErrors(c, `${path}.cidr`, cidrText));
  const cidr = parseCidr(cidrText);
  if (!cidr) return;
  const except = c.array(ipBlock, 'except', `${path}.except`) ?? [];
  for (let i = 0; i < except.length; i++) {
    const item = except[i];
    const exceptPath = `${path}.except[${i}]`;
    if (typeof item !== 'string') {
      c.typeError(exceptPath, item, 'a string');
      continue;
    }
    c.errors.push(...cidrErrors(c, exceptPath, item));
    const exceptCidr = parseCidr(item);
    if (!exceptCidr) {
      // Up to 1.32 the API server stopped checking this ipBlock at the first bad entry.
      if (c.current) continue;
      return;
    }
    if (!cidrIsStrictSubset(exceptCidr, cidr)) {
      c.errors.push(fieldError.invalid(exceptPath, item, 'must be a strict subset of `cidr`'));
    }
  }
}

function validatePeer(c: Checker, peer: unknown, path: string): void {
  if (!isObject(peer)) {
    c.typeError(path, peer, 'an object');
    return;
  }
  let count = 0;
  const podSelector = c.selector(peer['podSelector'], `${path}.podSelector`);
  if (podSelector) {
    count++;
    c.errors.push(...validateLabelSelector(podSelector, `${path}.podSelector`));
  }
  const namespaceSelector = c.selector(peer['namespaceSelector'], `${path}.namespaceSelector`);
  if (namespaceSelector) {
    count++;
    c.errors.push(...validateLabelSelector(namespaceSelector, `${path}.namespaceSelector`));
  }
  const ipBlock = c.object(peer, 'ipBlock', `${path}.ipBlock`);
  if (ipBlock) {
    count++;
    validateIPBlock(c, ipBlock, `${path}.ipBlock`);
  }
  if (count === 0) c.errors.push(fieldError.required(path, 'must specify a peer'));
  else if (count > 1 && ipBlock) c.errors.push(fieldError.forbidden(path, 'may not specify both ipBlock and another peer'));
}

function validateRules(c: Checker, spec: Json, direction: 'ingress' | 'egress'): void {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  const rules = c.array(spec, direction, `spec.${direction}`) ?? [];
  rules.forEach((rule, i) => {
    const rulePath = `spec.${direction}[${i}]`;
    if (!isObject(rule)) {
      c.typeError(rulePath, rule, 'an object');
      return;
    }
    (c.array(rule, 'ports', `${rulePath}.ports`) ?? []).forEach((port, j) => validatePort(c, port, `${rulePath}.ports[${j}]`));
    (c.array(rule, peersKey, `${rulePath}.${peersKey}`) ?? []).forEach((peer, j) =>
      validatePeer(c, peer, `${rulePath}.${peersKey}[${j}]`),
    );
  });
}

function validateSpec(c: Checker, spec: Json): void {
  const podSelector = c.selector(spec['podSelector'], 'spec.podSelector');
  c.errors.push(...validateLabelSelector(podSelector, 'spec.podSelector'));
  validateRules(c, spec, 'ingress');
  validateRules(c, spec, 'egress');
  const policyTypes = c.array(spec, 'policyTypes', 'spec.policyTypes') ?? [];
  if (policyTypes.length > POLICY_TYPES.length) {
    const rendered = `[]networking.PolicyType{${policyTypes.map((t) => JSON.stringify(t)).join(', ')}}`;
    c.errors.push(fieldError.invalid('spec.policyTypes', new GoValue(rendered), 'may not specify more than two policyTypes'));
    return;
  }
  policyTypes.forEach((type, i) => {
    const path = `spec.policyTypes[${i}]`;
    if (typeof type !== 'string') c.typeError(path, type, 'a string');
    else if (!(POLICY_TYPES as readonly string[]).includes(type)) c.errors.push(fieldError.notSupported(path, type, POLICY_TYPES));
  });
}

/**
 * Every error the API server would report for this NetworkPolicy, in its order (metadata, then
 * spec). An empty list means valid. Run it on the defaulted object to see what a create would
 * report (the API server defaults before it validates).
 */
export function validate(policy: unknown, options: ValidateOptions = {}): FieldError[] {
  const c = new Checker(options);
  if (!isObject(policy)) {
    c.typeError('<root>', policy, 'an object');
    return c.errors;
  }
  validateMetadata(c, c.object(policy, 'metadata', 'metadata') ?? {}, options);
  validateSpec(c, c.object(policy, 'spec', 'spec') ?? {});
  return c.errors;
}
