import type { AuditEventRecord } from '@fleetgate/core';
import { z } from 'zod';

export interface AuditEventDto {
  id: string;
  actor: string;
  action: string;
  subject: string;
  summary: Record<string, unknown>;
  requestId: string | null;
  createdAt: string;
}

export function toAuditEventDto(e: AuditEventRecord): AuditEventDto {
  return { id: e.id, actor: e.actor, action: e.action, subject: e.subject, summary: e.summary, requestId: e.requestId, createdAt: e.createdAt.toISOString() };
}

export const auditEventPageDtoSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      actor: z.string(),
      action: z.string(),
      subject: z.string(),
      summary: z.record(z.string(), z.unknown()),
      requestId: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
