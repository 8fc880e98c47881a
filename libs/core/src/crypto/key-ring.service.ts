import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DomainError, DomainErrorCode } from '../errors/index.js';

export interface Sealed {
  keyId: string;
  /** `v1.` + base64(iv[12] | ciphertext | tag[16]) */
  ciphertext: string;
}

/** A key id names a key without revealing it: the first 16 hex digits of SHA-256("fleetgate-key" | key). */
export function keyIdOf(key: Buffer): string {
  return 'k' + createHash('sha256').update('fleetgate-key\0').update(key).digest('hex').slice(0, 16);
}

/**
 * AES-256-GCM with a key id. The current key encrypts; older keys stay in the ring only to
 * decrypt what they sealed until `npm run keys:rotate` re-encrypts it. The `context` (e.g.
 * `cluster:<id>`) is bound as additional authenticated data, so a ciphertext copied onto another
 * row does not decrypt.
 */
export class KeyRing {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(current: Buffer, previous: Buffer[] = []) {
    if (current.length !== 32) throw new Error('AES-256 keys are 32 bytes');
    this.currentKeyId = keyIdOf(current);
    this.keys.set(this.currentKeyId, current);
    for (const key of previous) {
      if (key.length !== 32) throw new Error('AES-256 keys are 32 bytes');
      if (!this.keys.has(keyIdOf(key))) this.keys.set(keyIdOf(key), key);
    }
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  has(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  encrypt(plaintext: string, context: string): Sealed {
    const key = this.keys.get(this.currentKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${this.currentKeyId}|${context}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
    return { keyId: this.currentKeyId, ciphertext: `v1.${sealed}` };
  }

  decrypt(sealed: Sealed, context: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) {
      throw new DomainError(
        DomainErrorCode.Internal,
        `No key with id ${sealed.keyId} in the key ring (add it to FLEETGATE_PREVIOUS_MASTER_KEYS)`,
      );
    }
    if (!sealed.ciphertext.startsWith('v1.')) throw new DomainError(DomainErrorCode.Internal, 'Unknown ciphertext format');
    const raw = Buffer.from(sealed.ciphertext.slice(3), 'base64');
    const iv = raw.subarray(0, 12);
    const tag = raw.subarray(raw.length - 16);
    const body = raw.subarray(12, raw.length - 16);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(`${sealed.keyId}|${context}`));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new DomainError(DomainErrorCode.Internal, 'Ciphertext failed authentication', { cause });
    }
  }

  /** Re-encrypts under the current key (a no-op when already current). */
  reseal(sealed: Sealed, context: string): Sealed {
    if (sealed.keyId === this.currentKeyId) return sealed;
    return this.encrypt(this.decrypt(sealed, context), context);
  }
}
