import { Context, Field, GraphQLISODateTime, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import type { Actor } from '@fleetgate/core';
import { CurrentActor, RequireRole } from '../common/auth.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { BOARD_COOKIE, BOARD_SESSION_SECONDS, QueueBoardSessionRepository } from './queue-board-session.repository.js';
import { QUEUE_BOARD_PATH } from './queue-board.js';

@ObjectType('QueueBoardSession', { description: 'A browser session for Bull Board: an HttpOnly cookie, scoped to its path' })
export class QueueBoardSessionModel {
  @Field({ description: 'open this path in the same browser' })
  path!: string;

  @Field(() => GraphQLISODateTime)
  expiresAt!: Date;
}

/**
 * `openQueueBoard`: an admin signed in with a bearer token gets a short-lived session cookie
 * (HttpOnly, SameSite=Strict, Path=/admin/queues) so a browser can open Bull Board. The mutation
 * itself needs the bearer header, never a cookie, so another site cannot mint one (CSRF).
 */
@Resolver(() => QueueBoardSessionModel)
export class QueueBoardResolver {
  constructor(private readonly sessions: QueueBoardSessionRepository) {}

  @Mutation(() => QueueBoardSessionModel, { description: 'Sets a session cookie for Bull Board at /admin/queues (admins; 10 minutes)' })
  @RequireRole('admin')
  async openQueueBoard(@CurrentActor() actor: Actor, @Context() ctx: GqlContext): Promise<QueueBoardSessionModel> {
    const { secret, expiresAt } = await this.sessions.create(actor);
    const secure = (ctx.req.socket as { encrypted?: boolean } | undefined)?.encrypted ? '; Secure' : '';
    ctx.res?.setHeader('Set-Cookie', `${BOARD_COOKIE}=${secret}; Path=${QUEUE_BOARD_PATH}; Max-Age=${BOARD_SESSION_SECONDS}; HttpOnly; SameSite=Strict${secure}`);
    return { path: `${QUEUE_BOARD_PATH}/`, expiresAt };
  }
}
