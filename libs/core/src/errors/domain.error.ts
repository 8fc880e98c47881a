/**
 * Errors are typed data (CONVENTIONS rule 9): services throw DomainError with a code, and each
 * transport maps the code once (REST: problem+json filter; GraphQL: error formatter).
 */
export const DomainErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  /** Well-formed input that cannot be accepted: a policy template that does not render (422). */
  InvalidPolicy: 'INVALID_POLICY',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  /** A rollout whose selection matches no cluster (REST: 422). */
  NoTargets: 'NO_TARGETS',
  /** A request body in a media type the API does not take (REST: 415). */
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyInFlight: 'IDEMPOTENCY_IN_FLIGHT',
  /** A dependency (Postgres, Redis) is down or overloaded: retry after `details.retryAfterSeconds`. */
  Unavailable: 'UNAVAILABLE',
  Internal: 'INTERNAL',
} as const;
export type DomainErrorCode = (typeof DomainErrorCode)[keyof typeof DomainErrorCode];

export interface FieldError {
  field: string;
  message: string;
}

export interface DomainErrorOptions {
  errors?: FieldError[];
  /** Extra machine-readable members (e.g. the user clusters that block a seed deletion). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly errors: FieldError[];
  readonly details: Record<string, unknown>;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.errors = options.errors ?? [];
    this.details = options.details ?? {};
  }

  static validation(message: string, errors: FieldError[]): DomainError {
    return new DomainError(DomainErrorCode.ValidationFailed, message, { errors });
  }

  static invalidPolicy(message: string, errors: FieldError[], details: Record<string, unknown> = {}): DomainError {
    return new DomainError(DomainErrorCode.InvalidPolicy, message, { errors, details });
  }

  static notFound(what: string, ref: string): DomainError {
    return new DomainError(DomainErrorCode.NotFound, `${what} "${ref}" not found`);
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
