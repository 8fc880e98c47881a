import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '../prisma/index.js';

export interface AuditEventRecord {
  id: string;
  actor: string;
  action: string;
  subject: string;
  summary: Record<string, unknown>;
  requestId: string | null;
  createdAt: Date;
}

export interface AuditQuery {
  subject?: string | undefined;
  actor?: string | undefined;
  /** id of the last event of the previous page (newest first) */
  beforeId?: bigint | undefined;
  take: number;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insert(event: Omit<AuditEventRecord, 'id' | 'createdAt'>): Promise<void> {
    await this.prisma.db.auditEvent.create({
      data: { ...event, summary: event.summary as Prisma.InputJsonValue },
    });
  }

  async list(query: AuditQuery): Promise<AuditEventRecord[]> {
    const rows = await this.prisma.db.auditEvent.findMany({
      where: {
        ...(query.subject ? { subject: query.subject } : {}),
        ...(query.actor ? { actor: query.actor } : {}),
        ...(query.beforeId !== undefined ? { id: { lt: query.beforeId } } : {}),
      },
      orderBy: { id: 'desc' },
      take: query.take,
    });
    return rows.map((r) => ({
      id: r.id.toString(),
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      summary: (r.summary ?? {}) as Record<string, unknown>,
      requestId: r.requestId,
      createdAt: r.createdAt,
    }));
  }

  /** Many events in one statement (plain SQL over one JSON parameter; a batch of rollout target results). */
  async insertMany(events: ReadonlyArray<{ actor: string; action: string; subject: string; summary: Record<string, unknown> }>): Promise<void> {
    if (events.length === 0) return;
    await this.prisma.db.$executeRaw`
      INSERT INTO audit_events (actor, action, subject, summary, created_at)
      SELECT v.actor, v.action, v.subject, v.summary, now()
      FROM jsonb_to_recordset(${JSON.stringify(events)}::jsonb) AS v(actor text, action text, subject text, summary jsonb)`;
  }
}
