import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import type { HttpResponse } from './http.types.js';
import { DomainError, type FieldError, databaseFailure } from '@fleetgate/core';
import { mapErrorCode, problemType } from './domain-error.mapper.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: FieldError[];
  [extension: string]: unknown;
}

const HTTP_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
};

export function toProblem(thrown: unknown): ProblemDetails {
  const exception = databaseFailure(thrown) ?? thrown;
  if (exception instanceof DomainError) {
    const m = mapErrorCode(exception.code);
    return { ...exception.details, type: problemType(exception.code), title: m.title, status: m.status, detail: exception.message, errors: exception.errors };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? ((response as { message: string[] }).message).join('; ')
          : String((response as { message?: unknown }).message ?? exception.message);
    const title = HTTP_TITLES[status] ?? (status >= 500 ? 'Internal server error' : 'Error');
    const extra = typeof response === 'object' && response !== null && 'checks' in response ? { checks: (response as { checks: unknown }).checks } : {};
    const t = status === 503 ? 'Service unavailable' : title;
    return { ...extra, type: problemType(t.replace(/ /g, '-')), title: t, status, detail: status === 500 ? 'Internal server error' : message, errors: [] };
  }
  return { type: problemType('internal'), title: 'Internal server error', status: 500, detail: 'Internal server error', errors: [] };
}

/** Every REST error, including unknown routes and malformed bodies, as application/problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType<GqlContextType>() === 'graphql') throw exception;
    const res = host.switchToHttp().getResponse<HttpResponse>();
    const problem = toProblem(exception);
    if (problem.status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    if (res.headersSent) return;
    if (problem.status === 503) res.setHeader('Retry-After', String(problem.retryAfterSeconds ?? 5));
    // RFC 6750: a 401 names the scheme it wants; a token that was sent but refused is invalid_token
    if (problem.status === 401) {
      const sent = typeof host.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers.authorization === 'string';
      res.setHeader('WWW-Authenticate', sent ? 'Bearer realm="fleetgate", error="invalid_token"' : 'Bearer realm="fleetgate"');
    }
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
