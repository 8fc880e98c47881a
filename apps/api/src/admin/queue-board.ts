import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import { QUEUE_NAMES, RedisConnections, TokenService, hasRole } from '@fleetgate/core';
import type { HttpRequest, HttpResponse, NextFunction } from '../common/http.types.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues for admins (Authorization: Bearer <admin token>): every registered
 * queue on this deployment's prefix. Read-only over what the workers do; job payloads hold ids only.
 */
export function mountQueueBoard(app: INestApplication): void {
  // the producer queues of this process (Redis being down is reported by /readyz; they just wait for it)
  const queues = QUEUE_NAMES.map((name) => app.get(RedisConnections).queue(name));
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })), serverAdapter });
  const tokens = app.get(TokenService);
  const problem = (res: HttpResponse, status: number, title: string) => {
    res.status(status).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title, status }));
  };
  app.use(QUEUE_BOARD_PATH, (req: HttpRequest, res: HttpResponse, next: NextFunction) => {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    tokens
      .authenticate(match?.[1], undefined)
      .then((actor) => (hasRole(actor, 'admin') ? next() : problem(res, 403, 'The queue board requires the admin role')))
      .catch(() => problem(res, 401, 'A valid bearer token is required'));
  });
  app.use(QUEUE_BOARD_PATH, serverAdapter.getRouter());
}
