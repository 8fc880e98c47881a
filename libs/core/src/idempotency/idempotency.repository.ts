import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '../prisma/index.js';

export interface IdempotencyRow {
  id: string;
  scope: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
  state: 'in_flight' | 'completed';
  responseStatus: number | null;
  responseCiphertext: string | null;
  responseKeyId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Inserts an in-flight record; null when (scope, key) is taken. */
  async tryInsert(data: { scope: string; key: string; method: string; path: string; requestHash: string; expiresAt: Date }): Promise<IdempotencyRow | null> {
    try {
      return await this.prisma.db.idempotencyRecord.create({ data: { ...data, state: 'in_flight' } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
      throw error;
    }
  }

  find(scope: string, key: string): Promise<IdempotencyRow | null> {
    return this.prisma.db.idempotencyRecord.findUnique({ where: { scope_key: { scope, key } } });
  }

  async complete(id: string, status: number, sealed: { ciphertext: string; keyId: string }): Promise<void> {
    await this.prisma.db.idempotencyRecord.updateMany({
      where: { id, state: 'in_flight' },
      data: { state: 'completed', responseStatus: status, responseCiphertext: sealed.ciphertext, responseKeyId: sealed.keyId },
    });
  }

  /** Deletes the record only if it is still the one we saw (so two clients never delete each other's). */
  async deleteIf(id: string, state?: 'in_flight' | 'completed'): Promise<void> {
    await this.prisma.db.idempotencyRecord.deleteMany({ where: { id, ...(state ? { state } : {}) } });
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.prisma.db.idempotencyRecord.deleteMany({ where: { expiresAt: { lt: now } } })).count;
  }

  async notSealedWith(keyId: string, take: number): Promise<{ id: string; ciphertext: string; keyId: string }[]> {
    const rows = await this.prisma.db.idempotencyRecord.findMany({
      where: { responseKeyId: { not: keyId }, responseCiphertext: { not: null } },
      select: { id: true, responseCiphertext: true, responseKeyId: true },
      orderBy: { id: 'asc' },
      take,
    });
    return rows.map((r) => ({ id: r.id, ciphertext: r.responseCiphertext ?? '', keyId: r.responseKeyId ?? '' }));
  }

  async reseal(id: string, from: string, to: { ciphertext: string; keyId: string }): Promise<boolean> {
    const r = await this.prisma.db.idempotencyRecord.updateMany({
      where: { id, responseCiphertext: from },
      data: { responseCiphertext: to.ciphertext, responseKeyId: to.keyId },
    });
    return r.count === 1;
  }
}
