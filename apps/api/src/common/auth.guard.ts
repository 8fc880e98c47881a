import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Role, TokenService, assertRole } from '@fleetgate/core';
import { PUBLIC_KEY, ROLE_KEY, requestOf } from './auth.decorator.js';

/** Bearer token → actor on the request (REST and GraphQL alike): 401 without, 403 below the role. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = requestOf(ctx);
    if (!req.actor) {
      const header = req.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      req.actor = await this.tokens.authenticate(match?.[1], req.id === undefined ? undefined : String(req.id));
    }
    const role = this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, targets) ?? 'viewer';
    assertRole(req.actor, role, ctx.getHandler().name === 'handler' ? 'This call' : `${ctx.getClass().name.replace(/(Controller|Resolver)$/, '')}.${ctx.getHandler().name}`);
    return true;
  }
}
