import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, assertRole } from '../auth/actor.js';
import { credentialContext } from '../clusters/cluster-credentials.service.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { IdempotencyRepository } from '../idempotency/idempotency.repository.js';
import { PrismaService } from '../prisma/index.js';
import { KEY_RING } from '../crypto/key-ring.provider.js';
import { KeyRing } from '../crypto/key-ring.service.js';

export interface RotationResult {
  keyId: string;
  clusters: number;
  idempotencyRecords: number;
  /** rows still sealed under another key (changed concurrently by a process on an old key) */
  remaining: number;
}

/**
 * Re-encrypts every sealed value under the current key (`npm run keys:rotate`). Each row is
 * re-sealed with a compare-and-set on its old ciphertext, so it is safe while API and worker run.
 */
@Injectable()
export class KeyRotationService {
  constructor(
    @Inject(KEY_RING) private readonly keyRing: KeyRing,
    private readonly clusters: ClusterRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  async rotate(actor: Actor, batch = 100): Promise<RotationResult> {
    assertRole(actor, 'admin', 'Rotating keys');
    const keyId = this.keyRing.currentKeyId;
    let clusters = 0;
    let idempotencyRecords = 0;
    for (;;) {
      const rows = await this.clusters.idsNotSealedWith(keyId, batch);
      if (rows.length === 0) break;
      let done = 0;
      for (const row of rows) {
        const next = this.keyRing.reseal(row, credentialContext(row.id));
        if (await this.clusters.reseal(row.id, row.ciphertext, next)) done++;
      }
      clusters += done;
      if (done === 0) break; // every row changed under us: another writer is still on an old key
    }
    for (;;) {
      const rows = await this.idempotency.notSealedWith(keyId, batch);
      if (rows.length === 0) break;
      let done = 0;
      for (const row of rows) {
        const next = this.keyRing.reseal(row, `idempotency-response:${row.id}`);
        if (await this.idempotency.reseal(row.id, row.ciphertext, next)) done++;
      }
      idempotencyRecords += done;
      if (done === 0) break;
    }
    const remaining =
      (await this.clusters.idsNotSealedWith(keyId, batch)).length + (await this.idempotency.notSealedWith(keyId, batch)).length;
    await this.prisma.transaction(() => this.audit.record(actor, 'keys.rotate', `key/${keyId}`, { keyId, clusters, idempotencyRecords, remaining }));
    return { keyId, clusters, idempotencyRecords, remaining };
  }
}
