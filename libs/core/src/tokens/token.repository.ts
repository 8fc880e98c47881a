import { Injectable } from '@nestjs/common';
import { PrismaService, mapPrismaError } from '../prisma/index.js';
import type { Role } from '../auth/actor.js';

export interface ApiTokenRecord {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const select = { id: true, name: true, role: true, prefix: true, createdBy: true, lastUsedAt: true, revokedAt: true, createdAt: true } as const;

@Injectable()
export class TokenRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(data: { name: string; role: Role; tokenHash: string; prefix: string; createdBy: string | null }): Promise<ApiTokenRecord> {
    try {
      return await this.prisma.db.apiToken.create({ data, select });
    } catch (error) {
      mapPrismaError(error, 'Token', ['name']);
    }
  }

  findActiveByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    return this.prisma.db.apiToken.findFirst({ where: { tokenHash, revokedAt: null }, select });
  }

  findByName(name: string): Promise<ApiTokenRecord | null> {
    return this.prisma.db.apiToken.findUnique({ where: { name }, select });
  }

  async countActiveAdmins(): Promise<number> {
    return this.prisma.db.apiToken.count({ where: { role: 'admin', revokedAt: null } });
  }

  findById(id: string): Promise<ApiTokenRecord | null> {
    return this.prisma.db.apiToken.findUnique({ where: { id }, select });
  }

  /** Marks a token revoked (idempotent); returns the record, or null if it does not exist. */
  async revoke(id: string, at: Date): Promise<ApiTokenRecord | null> {
    await this.prisma.db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
    return this.findById(id);
  }

  /** Serialises revocations of admin tokens (so two concurrent ones cannot remove the last admin). */
  async lockAdmins(): Promise<void> {
    await this.prisma.db.$queryRaw`SELECT id FROM api_tokens WHERE role = 'admin' AND revoked_at IS NULL FOR UPDATE`;
  }

  list(): Promise<ApiTokenRecord[]> {
    return this.prisma.db.apiToken.findMany({ orderBy: { createdAt: 'asc' }, select });
  }

  /** Records use, at most once a minute per token (one conditional UPDATE). */
  async touch(id: string, at: Date): Promise<void> {
    const stale = new Date(at.getTime() - 60_000);
    await this.prisma.db.apiToken.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: stale } }] }, data: { lastUsedAt: at } });
  }
}
