import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import { QUEUE_NAMES, RedisConnections, type Role, TokenService, hasRole } from '@fleetgate/core';
import type { HttpRequest, HttpResponse, NextFunction } from '../common/http.types.js';
import { BOARD_COOKIE, QueueBoardSessionRepository } from './queue-board-session.repository.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

function cookie(req: HttpRequest, name: string): string | undefined {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * Bull Board at /admin/queues for admins: `Authorization: Bearer <admin token>`, or in a browser
 * the session cookie `openQueueBoard` sets (GET/HEAD only, so a cross-site form cannot act with
 * it; the board is read-only anyway). Every registered queue on this deployment's prefix; job
 * payloads hold ids only.
 */
export function mountQueueBoard(app: INestApplication): void {
  // the producer queues of this process (Redis being down is reported by /readyz; they just wait for it)
  const queues = QUEUE_NAMES.map((name) => app.get(RedisConnections).queue(name));
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })), serverAdapter });
  const tokens = app.get(TokenService);
  const sessions = app.get(QueueBoardSessionRepository);
  const problem = (res: HttpResponse, status: number, title: string) => {
    res.status(status).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title, status }));
  };
  app.use(QUEUE_BOARD_PATH, (req: HttpRequest, res: HttpResponse, next: NextFunction) => {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const session = cookie(req, BOARD_COOKIE);
    const safe = req.method === 'GET' || req.method === 'HEAD';
    const who: Promise<{ role: Role } | null> = match || !session || !safe ? tokens.authenticate(match?.[1], undefined) : sessions.find(session);
    who
      .then((actor) => {
        if (!actor) return problem(res, 401, 'The queue board session expired: open it again from the console');
        return hasRole({ id: '', name: '', role: actor.role }, 'admin') ? next() : problem(res, 403, 'The queue board requires the admin role');
      })
      .catch(() => problem(res, 401, 'A valid bearer token (or a queue board session from the console) is required'));
  });
  app.use(QUEUE_BOARD_PATH, serverAdapter.getRouter());
}
