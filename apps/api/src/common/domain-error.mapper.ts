import { DomainErrorCode } from '@fleetgate/core';

export interface ErrorMapping {
  status: number;
  title: string;
  /** `extensions.code` in GraphQL */
  graphqlCode: string;
}

/** The one place a domain error code becomes a transport status (exhaustive). */
export function mapErrorCode(code: DomainErrorCode): ErrorMapping {
  switch (code) {
    case DomainErrorCode.ValidationFailed:
      return { status: 400, title: 'Validation failed', graphqlCode: 'BAD_USER_INPUT' };
    case DomainErrorCode.InvalidPolicy:
      return { status: 422, title: 'Invalid policy', graphqlCode: 'INVALID_POLICY' };
    case DomainErrorCode.Unauthenticated:
      return { status: 401, title: 'Unauthenticated', graphqlCode: 'UNAUTHENTICATED' };
    case DomainErrorCode.Forbidden:
      return { status: 403, title: 'Forbidden', graphqlCode: 'FORBIDDEN' };
    case DomainErrorCode.NotFound:
      return { status: 404, title: 'Not found', graphqlCode: 'NOT_FOUND' };
    case DomainErrorCode.Conflict:
      return { status: 409, title: 'Conflict', graphqlCode: 'CONFLICT' };
    case DomainErrorCode.NoTargets:
      return { status: 422, title: 'No target clusters', graphqlCode: 'NO_TARGETS' };
    case DomainErrorCode.UnsupportedMediaType:
      return { status: 415, title: 'Unsupported media type', graphqlCode: 'UNSUPPORTED_MEDIA_TYPE' };
    case DomainErrorCode.IdempotencyInFlight:
      return { status: 409, title: 'Request in progress', graphqlCode: 'IDEMPOTENCY_IN_FLIGHT' };
    case DomainErrorCode.IdempotencyKeyReused:
      return { status: 422, title: 'Idempotency key reused', graphqlCode: 'IDEMPOTENCY_KEY_REUSED' };
    case DomainErrorCode.Unavailable:
      return { status: 503, title: 'Service unavailable', graphqlCode: 'SERVICE_UNAVAILABLE' };
    case DomainErrorCode.Internal:
      return { status: 500, title: 'Internal server error', graphqlCode: 'INTERNAL_SERVER_ERROR' };
  }
}

export function problemType(slug: string): string {
  return `https://fleetgate.dev/problems/${slug.toLowerCase().replace(/_/g, '-')}`;
}
