import { type ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Actor, Role } from '@fleetgate/core';
import type { HttpRequest } from './http.types.js';

export const PUBLIC_KEY = 'fleetgate:public';
export const ROLE_KEY = 'fleetgate:role';

/** No token needed (health endpoints). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** The least role allowed; the guard answers 403 below it before any body is read. */
export const RequireRole = (role: Role) => SetMetadata(ROLE_KEY, role);

export type AuthedRequest = HttpRequest & { actor?: Actor };

export function requestOf(ctx: ExecutionContext): AuthedRequest {
  if (ctx.getType<string>() === 'graphql') return GqlExecutionContext.create(ctx).getContext<{ req: AuthedRequest }>().req;
  return ctx.switchToHttp().getRequest<AuthedRequest>();
}

/** The authenticated caller (set by the AuthGuard). */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = requestOf(ctx).actor;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});
