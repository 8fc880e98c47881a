import { unwrapResolverError } from '@apollo/server/errors';
import { HttpException } from '@nestjs/common';
import { DomainError, databaseFailure } from '@fleetgate/core';
import type { GraphQLFormattedError } from 'graphql';
import { mapErrorCode } from '../common/domain-error.mapper.js';

/** The one GraphQL error mapping: domain codes in `extensions.code`, field errors in `extensions.errors`. */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(error);
  const original = databaseFailure(unwrapped) ?? unwrapped;
  const base = { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (original instanceof DomainError) {
    const m = mapErrorCode(original.code);
    return {
      ...base,
      message: original.message,
      extensions: { ...original.details, code: m.graphqlCode, status: m.status, errors: original.errors },
    };
  }
  if (original instanceof HttpException) {
    const status = original.getStatus();
    return { ...base, message: status >= 500 ? 'Internal server error' : original.message, extensions: { code: status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST', status, errors: [] } };
  }
  const code = formatted.extensions?.code;
  if (code === 'INTERNAL_SERVER_ERROR' || (code === undefined && original instanceof Error && original !== error && !('extensions' in original))) {
    return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', errors: [] } };
  }
  const { stacktrace: _never, exception: _neither, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, extensions: { ...extensions, errors: (extensions.errors as unknown[] | undefined) ?? [] } };
}
