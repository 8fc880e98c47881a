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
}
