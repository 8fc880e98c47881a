import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Actor, assertRole } from '../auth/actor.js';
import { KEY_RING, KeyRing } from '../crypto/index.js';
import { DomainError, DomainErrorCode } from '../errors/index.js';
import { IdempotencyRepository } from './idempotency.repository.js';

/** Records are kept for a day; an in-flight record older than this is taken to be abandoned. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_STALE_MS = 5 * 60 * 1000;
const KEY = /^[\x21-\x7e]{1,255}$/;

export interface IdempotentRequest {
  key: string;
  method: string;
  path: string;
  body: unknown;
}

export type IdempotencyStart = { kind: 'new'; recordId: string } | { kind: 'replay'; status: number; body: unknown };

class Token {
  constructor(readonly text: string) {}
}

/**
 * JSON with object keys sorted, without recursion: a body nested 100,000 levels deep (which
 * JSON.parse accepts) is fingerprinted like any other instead of overflowing the stack.
 */
function canonical(root: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length) {
    const value = stack.pop();
    if (value instanceof Token) {
      out.push(value.text);
    } else if (Array.isArray(value)) {
      out.push('[');
      stack.push(new Token(']'));
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push(value[i] ?? null);
        if (i > 0) stack.push(new Token(','));
      }
    } else if (value && typeof value === 'object') {
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      out.push('{');
      stack.push(new Token('}'));
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i] as [string, unknown];
        stack.push(v, new Token(`${JSON.stringify(k)}:`));
        if (i > 0) stack.push(new Token(','));
      }
    } else {
      out.push(JSON.stringify(value ?? null));
    }
  }
  return out.join('');
}

function context(recordId: string): string {
  return `idempotency-response:${recordId}`;
}

/**
 * Idempotency-Key for POSTs, scoped per caller (token). A replay returns the first response; the
 * same key with another body is 422; a request still running is 409. Stored responses are
 * sealed with the master key (AES-256-GCM, like credentials), so a token shown once by
 * POST /tokens is never at rest in plaintext, yet a replay returns it again to the same caller.
 * A request that fails releases its key, so the client may retry it.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly records: IdempotencyRepository,
    @Inject(KEY_RING) private readonly keyRing: KeyRing,
  ) {}

  fingerprint(req: Omit<IdempotentRequest, 'key'>): string {
    return createHash('sha256').update(`${req.method.toUpperCase()} ${req.path}\n${canonical(req.body)}`).digest('hex');
  }

  async begin(actor: Actor, req: IdempotentRequest, now = new Date()): Promise<IdempotencyStart> {
    if (!KEY.test(req.key)) {
      throw DomainError.validation('Invalid Idempotency-Key', [{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }]);
    }
    const requestHash = this.fingerprint(req);
    for (let attempt = 0; attempt < 3; attempt++) {
      const created = await this.records.tryInsert({
        scope: actor.id,
        key: req.key,
        method: req.method.toUpperCase(),
        path: req.path,
        requestHash,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      });
      if (created) return { kind: 'new', recordId: created.id };
      const existing = await this.records.find(actor.id, req.key);
      if (!existing) continue;
      const stale = existing.state === 'in_flight' && now.getTime() - existing.createdAt.getTime() > IDEMPOTENCY_STALE_MS;
      if (existing.expiresAt < now || stale) {
        await this.records.deleteIf(existing.id);
        continue;
      }
      if (existing.requestHash !== requestHash) {
        throw new DomainError(
          DomainErrorCode.IdempotencyKeyReused,
          `Idempotency-Key "${req.key}" was already used with a different request (${existing.method} ${existing.path})`,
          { errors: [{ field: 'Idempotency-Key', message: 'already used with a different request body or path' }] },
        );
      }
      if (existing.state === 'in_flight' || existing.responseCiphertext === null || existing.responseKeyId === null) {
        throw new DomainError(DomainErrorCode.IdempotencyInFlight, `A request with Idempotency-Key "${req.key}" is still in progress; retry later`);
      }
      const text = this.keyRing.decrypt({ ciphertext: existing.responseCiphertext, keyId: existing.responseKeyId }, context(existing.id));
      return { kind: 'replay', status: existing.responseStatus ?? 200, body: JSON.parse(text) as unknown };
    }
    throw new DomainError(DomainErrorCode.IdempotencyInFlight, `Idempotency-Key "${req.key}" is contended; retry later`);
  }

  async complete(recordId: string, status: number, body: unknown): Promise<void> {
    const sealed = this.keyRing.encrypt(JSON.stringify(body ?? null), context(recordId));
    await this.records.complete(recordId, status, sealed);
  }

  /** Deletes records past their expiry (the worker runs this hourly); returns how many. */
  async purgeExpired(actor: Actor, now = new Date()): Promise<number> {
    assertRole(actor, 'admin', 'Purging idempotency records');
    return this.records.deleteExpired(now);
  }

  async release(recordId: string): Promise<void> {
    await this.records.deleteIf(recordId, 'in_flight');
  }
}
