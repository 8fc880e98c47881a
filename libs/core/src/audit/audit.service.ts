import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { type Actor, assertRole } from '../auth/actor.js';
import { parseOrThrow } from '../errors/index.js';
import { type Page, decodeCursor, pageSize, toPage } from '../pagination/index.js';
import { type AuditEventRecord, AuditRepository } from './audit.repository.js';

/** Keys whose values never reach the audit log, whatever a caller passes in a summary. */
const SECRET_KEY = /token|secret|password|kubeconfig|cadata|certificate|clientkey|privatekey|^credentials$/i;

export function redactSummary(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSummary);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redactSummary(v);
    return out;
  }
  return value;
}

export const listAuditEventsSchema = z.strictObject({
  subject: z.string().min(1).max(300).optional(),
  actor: z.string().min(1).max(300).optional(),
  limit: z.union([z.number(), z.string()]).optional(),
  cursor: z.string().min(1).optional(),
});
export type ListAuditEventsInput = z.input<typeof listAuditEventsSchema>;

@Injectable()
export class AuditService {
  constructor(private readonly events: AuditRepository) {}

  /**
   * Records an event in the ambient transaction (call it inside PrismaService.transaction so the
   * event commits or rolls back with the mutation). Summaries are redacted defensively.
   */
  async record(actor: Actor, action: string, subject: string, summary: Record<string, unknown> = {}): Promise<void> {
    await this.events.insert({
      actor: actor.name,
      action,
      subject,
      summary: redactSummary(summary) as Record<string, unknown>,
      requestId: actor.requestId ?? null,
    });
  }

  async list(actor: Actor, input: ListAuditEventsInput): Promise<Page<AuditEventRecord>> {
    assertRole(actor, 'viewer', 'Reading the audit log');
    const q = parseOrThrow(listAuditEventsSchema, input, 'query');
    const limit = pageSize(q.limit);
    const before = q.cursor ? BigInt(decodeCursor(q.cursor, z.object({ id: z.string().regex(/^\d+$/) })).id) : undefined;
    const rows = await this.events.list({ subject: q.subject, actor: q.actor, beforeId: before, take: limit + 1 });
    return toPage(rows, limit, (r) => ({ id: r.id }), (r) => r);
  }
}
