import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/index.js';
import { KeyRing, keyIdOf } from './key-ring.service.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe('KeyRing', () => {
  it('round-trips with AES-256-GCM under the current key id; ciphertexts differ each time', () => {
    const ring = new KeyRing(k1);
    const a = ring.encrypt('hello secret', 'cluster:1');
    const b = ring.encrypt('hello secret', 'cluster:1');
    expect(a.keyId).toBe(keyIdOf(k1));
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.ciphertext).not.toContain('hello');
    expect(Buffer.from(a.ciphertext.slice(3), 'base64').toString('utf8')).not.toContain('hello secret');
    expect(ring.decrypt(a, 'cluster:1')).toBe('hello secret');
  });

  it('binds the context: a ciphertext moved to another row does not decrypt', () => {
    const ring = new KeyRing(k1);
    const a = ring.encrypt('x', 'cluster:1');
    expect(() => ring.decrypt(a, 'cluster:2')).toThrow(DomainError);
  });

  it('detects tampering', () => {
    const ring = new KeyRing(k1);
    const a = ring.encrypt('payload', 'c');
    const raw = Buffer.from(a.ciphertext.slice(3), 'base64');
    raw[14] = (raw[14] ?? 0) ^ 1;
    expect(() => ring.decrypt({ keyId: a.keyId, ciphertext: `v1.${raw.toString('base64')}` }, 'c')).toThrow(/authentication/);
  });

  it('rotation: the new ring decrypts old values and reseals them under the new key', () => {
    const old = new KeyRing(k1);
    const sealed = old.encrypt('creds', 'c');
    const ring = new KeyRing(k2, [k1]);
    expect(ring.currentKeyId).toBe(keyIdOf(k2));
    expect(ring.decrypt(sealed, 'c')).toBe('creds');
    const resealed = ring.reseal(sealed, 'c');
    expect(resealed.keyId).toBe(keyIdOf(k2));
    expect(new KeyRing(k2).decrypt(resealed, 'c')).toBe('creds');
    expect(ring.reseal(resealed, 'c')).toBe(resealed);
    expect(() => new KeyRing(k2).decrypt(sealed, 'c')).toThrow(/FLEETGATE_PREVIOUS_MASTER_KEYS/);
  });

  it('key ids do not reveal the key', () => {
    expect(keyIdOf(k1)).toMatch(/^k[0-9a-f]{16}$/);
    expect(keyIdOf(k1)).not.toBe(keyIdOf(k2));
    expect(k1.toString('hex')).not.toContain(keyIdOf(k1).slice(1));
  });
});
