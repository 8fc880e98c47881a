import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { DomainError, DomainErrorCode, parseOrThrow } from '../errors/index.js';
import { PrismaService } from '../prisma/index.js';
import { type Actor, ROLES, assertRole, systemActor } from '../auth/actor.js';
import { type ApiTokenRecord, TokenRepository } from './token.repository.js';

export const createTokenSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/, { message: 'must be lowercase letters, digits, "-", "_" or "." (max 63)' }),
  role: z.enum(ROLES),
});
export type CreateTokenInput = z.input<typeof createTokenSchema>;

export interface CreatedToken {
  id: string;
  name: string;
  role: ApiTokenRecord['role'];
  /** The secret, shown exactly once. */
  token: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newTokenSecret(): string {
  return `fg_${randomBytes(32).toString('base64url')}`;
}

/** API tokens: stored as SHA-256 (tokens are 256-bit random, so a slow hash adds nothing). */
@Injectable()
export class TokenService {
  constructor(
    private readonly tokens: TokenRepository,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {}

  async create(actor: Actor, input: CreateTokenInput): Promise<CreatedToken> {
    assertRole(actor, 'admin', 'Creating tokens');
    const data = parseOrThrow(createTokenSchema, input, 'token');
    const token = newTokenSecret();
    return this.prisma.transaction(async () => {
      const record = await this.tokens.create({
        name: data.name,
        role: data.role,
        tokenHash: hashToken(token),
        prefix: token.slice(0, 8),
        createdBy: actor.name,
      });
      await this.audit.record(actor, 'token.create', `token/${record.name}`, { name: record.name, role: record.role });
      return { id: record.id, name: record.name, role: record.role, token };
    });
  }

  /** Revokes a token by id or name (admin). The last active admin token cannot be revoked. */
  async revoke(actor: Actor, ref: string): Promise<ApiTokenRecord> {
    assertRole(actor, 'admin', 'Revoking tokens');
    return this.prisma.transaction(async () => {
      await this.tokens.lockAdmins();
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
      const token = uuid ? await this.tokens.findById(ref.toLowerCase()) : await this.tokens.findByName(ref);
      if (!token) throw DomainError.notFound('Token', ref);
      if (token.revokedAt) return token;
      if (token.role === 'admin' && (await this.tokens.countActiveAdmins()) <= 1) {
        throw new DomainError(DomainErrorCode.Conflict, `"${token.name}" is the last active admin token; create another admin token first`);
      }
      const revoked = await this.tokens.revoke(token.id, new Date());
      await this.audit.record(actor, 'token.revoke', `token/${token.name}`, { name: token.name, role: token.role });
      return revoked ?? token;
    });
  }

  async list(actor: Actor): Promise<ApiTokenRecord[]> {
    assertRole(actor, 'admin', 'Listing tokens');
    return this.tokens.list();
  }

  /** Resolves a bearer token to an actor; throws UNAUTHENTICATED. */
  async authenticate(bearer: string | undefined, requestId?: string): Promise<Actor> {
    if (!bearer) throw new DomainError(DomainErrorCode.Unauthenticated, 'Missing bearer token');
    // Lookup by the SHA-256 of the token: comparing hashes of 256-bit secrets leaks nothing useful.
    const record = await this.tokens.findActiveByHash(hashToken(bearer));
    if (!record) {
      throw new DomainError(DomainErrorCode.Unauthenticated, 'Invalid or revoked token');
    }
    await this.tokens.touch(record.id, new Date());
    return { id: record.id, name: record.name, role: record.role, requestId };
  }

  /**
   * Boot: make sure an admin can log in. With FLEETGATE_ADMIN_TOKEN the token named `admin` is
   * (re)bound to it. Without it, and with no admin token in the database, a new one is created and
   * returned so the caller can print it once; it is never logged.
   */
  async bootstrapAdmin(): Promise<{ created: boolean; token?: string }> {
    const actor = systemActor('bootstrap');
    const configured = this.config.adminToken;
    if (configured) {
      const hash = hashToken(configured);
      if (await this.tokens.findActiveByHash(hash)) return { created: false };
      return this.prisma.transaction(async () => {
        const existing = await this.tokens.findByName('admin');
        const name = existing ? `admin-${hash.slice(0, 8)}` : 'admin';
        await this.tokens.create({ name, role: 'admin', tokenHash: hash, prefix: configured.slice(0, 8), createdBy: actor.name });
        await this.audit.record(actor, 'token.create', `token/${name}`, { name, role: 'admin', source: 'FLEETGATE_ADMIN_TOKEN' });
        return { created: true };
      });
    }
    if ((await this.tokens.countActiveAdmins()) > 0) return { created: false };
    const token = newTokenSecret();
    return this.prisma.transaction(async () => {
      const name = (await this.tokens.findByName('admin')) ? `admin-${randomBytes(3).toString('hex')}` : 'admin';
      await this.tokens.create({ name, role: 'admin', tokenHash: hashToken(token), prefix: token.slice(0, 8), createdBy: actor.name });
      await this.audit.record(actor, 'token.create', `token/${name}`, { name, role: 'admin', source: 'generated on first start' });
      return { created: true, token };
    });
  }
}
