import { type CallHandler, type ExecutionContext, HttpStatus, Injectable, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { IdempotencyService } from '@fleetgate/core';
import type { HttpResponse } from './http.types.js';
import { type Observable, catchError, from, mergeMap, of, throwError } from 'rxjs';
import type { AuthedRequest } from './auth.decorator.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * `Idempotency-Key` on every REST POST: a replay gets the first response (with
 * `Idempotent-Replayed: true`), another body under the same key 422, a concurrent one 409.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (ctx.getType<string>() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const res = ctx.switchToHttp().getResponse<HttpResponse>();
    const key = req.headers[IDEMPOTENCY_HEADER];
    if (req.method !== 'POST' || key === undefined || !req.actor) return next.handle();
    const start = await this.idempotency.begin(req.actor, {
      key: Array.isArray(key) ? key.join(',') : key,
      method: req.method,
      path: req.originalUrl,
      body: req.body ?? null,
    });
    if (start.kind === 'replay') {
      res.status(start.status).setHeader('Idempotent-Replayed', 'true');
      return of(start.body);
    }
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler()) as number | undefined) ?? HttpStatus.CREATED;
    return next.handle().pipe(
      mergeMap((body: unknown) => from(this.idempotency.complete(start.recordId, status, body).then(() => body))),
      catchError((error: unknown) => from(this.idempotency.release(start.recordId)).pipe(mergeMap(() => throwError(() => error)))),
    );
  }
}
