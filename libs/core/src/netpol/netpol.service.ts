import { Injectable } from '@nestjs/common';
import {
  type FieldError as PolicyFieldError,
  type NetworkPolicy,
  type Query,
  type QueryResult,
  ReachabilityInputError,
  applyDefaults,
  checkReachability,
  defaultQueries,
  fieldError,
  formatInvalidMessage,
  parseReachabilityInput,
  validate,
} from '@fleetgate/netpol';
import { z } from 'zod';
import { type Actor, assertRole } from '../auth/actor.js';
import { DomainError, type FieldError, parseOrThrow } from '../errors/index.js';

/**
 * How much one reachability request may ask for, so that a request cannot hold the event loop for
 * long. Measured on this machine: 500 pods, 200 policies, 5000 queries in ~0.25 s; an adversarial
 * body at the API's 2 MB limit (30 labels per pod and namespace, 16-requirement selectors) ~0.6 s.
 */
export const REACHABILITY_LIMITS = { namespaces: 200, pods: 500, policies: 200, queries: 5000 } as const;

export const validateOptionsSchema = z.object({
  /** Which API server wording to reproduce: Kubernetes <= 1.32 (`legacy`, default) or 1.33+ (`current`). */
  profile: z.enum(['legacy', 'current']).optional(),
});
export type ValidateNetworkPolicyOptions = z.input<typeof validateOptionsSchema>;

export interface NetworkPolicyValidation {
  valid: true;
  /** The policy as the API server would store it (protocol and policyTypes filled in). */
  defaulted: NetworkPolicy;
}

export interface ReachabilityReport {
  results: QueryResult[];
}

const KIND = 'NetworkPolicy.networking.k8s.io';
const NOT_AN_OBJECT = 'must be a JSON object';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const toFieldErrors = (errors: readonly PolicyFieldError[]): FieldError[] => errors.map(({ field, message }) => ({ field, message }));

/** `apiVersion` and `kind`, when given, must name a networking.k8s.io/v1 NetworkPolicy. */
function typeMetaErrors(policy: Record<string, unknown>): PolicyFieldError[] {
  const errors: PolicyFieldError[] = [];
  for (const [key, expected] of [['apiVersion', 'networking.k8s.io/v1'], ['kind', 'NetworkPolicy']] as const) {
    const value = policy[key];
    if (value !== undefined && value !== expected) errors.push(fieldError.notSupported(key, value, [expected]));
  }
  return errors;
}

function tooMany(field: string, count: number, max: number, hint = ''): FieldError {
  return { field, message: `Too many: ${count}: must have at most ${max} items${hint}` };
}

/** A field error under `policies[i]` that is about the policy's content (422), not its shape (400). */
function isPolicyContentError(field: string): boolean {
  return /^policies\[\d+\]\./.test(field);
}

/**
 * Stateless NetworkPolicy checks for the API (issue 3, "HTTP endpoints"): validation with the API
 * server's defaulting and wording, and reachability with explanations. Any authenticated role.
 */
@Injectable()
export class NetpolService {
  /** The defaulted policy, or INVALID_POLICY listing every `{field, message}` as the API server words it. */
  validate(actor: Actor, policy: unknown, options: ValidateNetworkPolicyOptions = {}): NetworkPolicyValidation {
    assertRole(actor, 'viewer', 'Validating a NetworkPolicy');
    const { profile } = parseOrThrow(validateOptionsSchema, options, 'validation options');
    if (!isObject(policy)) {
      throw DomainError.validation('The body must be a NetworkPolicy object', [{ field: '(root)', message: NOT_AN_OBJECT }]);
    }
    const errors = [...typeMetaErrors(policy), ...validate(policy, { profile })];
    // The API server defaults before it validates; defaulting only adds valid values, so the
    // defaulted copy is built (and checked again) once the shape is known to be sound.
    const defaulted = errors.length === 0 ? applyDefaults(policy as unknown as NetworkPolicy) : undefined;
    if (defaulted) errors.push(...validate(defaulted, { profile }));
    if (!defaulted || errors.length > 0) {
      const metadata = policy['metadata'];
      const name = isObject(metadata) && typeof metadata['name'] === 'string' ? metadata['name'] : '';
      throw DomainError.invalidPolicy(formatInvalidMessage(KIND, name, errors), toFieldErrors(errors));
    }
    return { valid: true, defaulted };
  }

  /**
   * Answers `{namespaces, pods, policies, queries?}`; without queries, every ordered pod pair on
   * every port the destination declares. Malformed or oversized input is VALIDATION_FAILED naming
   * the field; well-formed but invalid policies are INVALID_POLICY with `policies[i].<path>`.
   */
  checkReachability(actor: Actor, input: unknown): ReachabilityReport {
    assertRole(actor, 'viewer', 'Checking reachability');
    this.assertWithinLimits(input);
    const parsed = parseReachabilityInput(input);
    if (!parsed.ok) {
      const errors = parsed.errors.map((e) => (e.field.endsWith('.<root>') ? { field: e.field.slice(0, -'.<root>'.length), message: NOT_AN_OBJECT } : { field: e.field, message: e.message }));
      if (errors.every((e) => isPolicyContentError(e.field))) {
        throw DomainError.invalidPolicy(`${new Set(errors.map((e) => /^policies\[\d+\]/.exec(e.field)?.[0])).size} of the policies are invalid`, errors);
      }
      throw DomainError.validation('Malformed reachability input', errors);
    }
    const model = parsed.value;
    const queries: Query[] = model.queries ?? defaultQueries(model);
    if (queries.length > REACHABILITY_LIMITS.queries) {
      const hint = model.queries ? '' : ' (the default: every pod pair on every declared container port); pass explicit queries';
      throw DomainError.validation('Reachability input exceeds the limits', [tooMany('queries', queries.length, REACHABILITY_LIMITS.queries, hint)]);
    }
    try {
      return { results: checkReachability(model, queries) };
    } catch (error) {
      if (error instanceof ReachabilityInputError) {
        const message = error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
        throw DomainError.validation('Malformed reachability input', [{ field: error.field, message }]);
      }
      throw error;
    }
  }

  private assertWithinLimits(input: unknown): void {
    if (!isObject(input)) return;
    const errors: FieldError[] = [];
    for (const key of ['namespaces', 'pods', 'policies', 'queries'] as const) {
      const value = input[key];
      if (Array.isArray(value) && value.length > REACHABILITY_LIMITS[key]) errors.push(tooMany(key, value.length, REACHABILITY_LIMITS[key]));
    }
    if (errors.length) throw DomainError.validation('Reachability input exceeds the limits', errors);
  }
}
