import { DomainError, DomainErrorCode } from '@fleetgate/core';
import type { HttpRequest, HttpResponse, NextFunction } from './http.types.js';
import { toProblem } from './problem-details.filter.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function hasBody(req: HttpRequest): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * REST bodies are JSON: a body sent as another type (curl's default form encoding, YAML, text)
 * is a 415 saying what is expected, instead of a form-decoded object failing validation.
 */
export function requireJsonBodies(req: HttpRequest, res: HttpResponse, next: NextFunction): void {
  if (!req.originalUrl.startsWith('/api/') || !hasBody(req)) return next();
  const type = req.headers['content-type'];
  if (typeof type === 'string' && JSON_TYPE.test(type)) return next();
  const problem = toProblem(
    new DomainError(DomainErrorCode.UnsupportedMediaType, `Content-Type ${type ? `"${type}"` : '(none)'} is not supported: send the body as application/json`, {
      errors: [{ field: '(header) Content-Type', message: 'expected "application/json"' }],
      details: { accepted: ['application/json'] },
    }),
  );
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}
