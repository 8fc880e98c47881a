import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { DomainError } from '@fleetgate/core';
import type { Observable } from 'rxjs';
import type { HttpRequest } from './http.types.js';

/** Where @nestjs/swagger keeps `@ApiQuery` declarations (its DECORATORS.API_PARAMETERS). */
const API_PARAMETERS = 'swagger/apiParameters';

/** The query parameters an operation declares (its `@ApiQuery`s, which are also its OpenAPI parameters). */
export function declaredQueryParameters(handler: object): Set<string> {
  const params = (Reflect.getMetadata(API_PARAMETERS, handler) as Array<{ name?: string; in?: string }> | undefined) ?? [];
  return new Set(params.filter((p) => p.in === 'query' && p.name).map((p) => p.name as string));
}

/**
 * A REST call with a query parameter its operation does not declare is a 400 naming it: a
 * misspelled filter must not silently widen a list (`/drift?clustr=x` returning every cluster).
 */
@Injectable()
export class KnownQueryInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType<string>() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<HttpRequest & { query?: Record<string, unknown> }>();
    const keys = Object.keys(req.query ?? {});
    if (keys.length === 0) return next.handle();
    const known = declaredQueryParameters(ctx.getHandler());
    const unknown = keys.filter((k) => !known.has(k));
    if (unknown.length > 0) {
      const expected = known.size > 0 ? `; this operation accepts ${[...known].sort().join(', ')}` : '; this operation accepts none';
      throw DomainError.validation(
        `Unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`,
        unknown.map((k) => ({ field: k, message: `unknown query parameter${expected}` })),
      );
    }
    return next.handle();
  }
}
