import { type Actor, TokenService } from '@fleetgate/core';
import type { Context } from 'graphql-ws';
import type { WebSocket } from 'ws';

/** graphql-ws close codes: no token, and a token that is not (or no longer) valid. */
export const WS_UNAUTHORIZED = 4401;
export const WS_FORBIDDEN = 4403;

export interface WsExtra {
  socket: WebSocket;
  actor?: Actor;
}

/**
 * graphql-ws `onConnect`: the token comes as `connectionParams.authorization` ("Bearer …") and is
 * checked once, at `connection_init`. Without one the socket is closed with 4401, with a wrong one
 * with 4403, so a client learns at once instead of from each subscription.
 */
export function authenticateConnection(tokens: TokenService) {
  return async (ctx: Context<Record<string, unknown> | undefined, unknown>): Promise<boolean> => {
    const extra = ctx.extra as WsExtra;
    const header = ctx.connectionParams?.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      extra.socket.close(WS_UNAUTHORIZED, 'Unauthorized: connectionParams.authorization must be "Bearer <token>"');
      return false;
    }
    try {
      extra.actor = await tokens.authenticate(match[1]);
      return true;
    } catch {
      extra.socket.close(WS_FORBIDDEN, 'Forbidden: invalid or revoked token');
      return false;
    }
  };
}
