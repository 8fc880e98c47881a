import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type ClusterConnection, KubeconfigError, connectionFromKubeconfig } from '@fleetgate/kube';
import { KEY_RING } from '../crypto/key-ring.provider.js';
import { KeyRing } from '../crypto/index.js';
import { DomainError, DomainErrorCode } from '../errors/index.js';
import type { StoredCredentials } from './cluster.model.js';
import type { CredentialsInput } from './cluster.schemas.js';
import type { SealedCredentials } from './cluster.repository.js';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function credentialContext(clusterId: string): string {
  return `cluster-credentials:${clusterId}`;
}

/**
 * Credentials in and out of their sealed form. Only this class sees them in plaintext; the
 * fingerprint is `sha256:` + the first 32 hex digits of SHA-256 over the canonical credential
 * JSON, so a changed credential is visible without showing it.
 */
@Injectable()
export class ClusterCredentialsService {
  constructor(@Inject(KEY_RING) private readonly keyRing: KeyRing) {}

  /** Validates (a kubeconfig must resolve to a usable connection) and normalises the input. */
  toStored(input: CredentialsInput, field = 'credentials'): { stored: StoredCredentials; connection: ClusterConnection } {
    if (input.kubeconfig !== undefined) {
      let connection: ClusterConnection;
      try {
        connection = connectionFromKubeconfig(input.kubeconfig);
      } catch (error) {
        if (error instanceof KubeconfigError) {
          throw DomainError.validation('Invalid kubeconfig', [{ field: `${field}.kubeconfig`, message: error.message }]);
        }
        throw error;
      }
      if (!/^https:\/\//i.test(connection.server)) {
        throw DomainError.validation('Invalid kubeconfig', [{ field: `${field}.kubeconfig`, message: `cluster server must be an https:// URL` }]);
      }
      return { stored: { kind: 'kubeconfig', kubeconfig: input.kubeconfig }, connection };
    }
    if (input.server === undefined || input.token === undefined) {
      throw DomainError.validation('Invalid credentials', [{ field, message: 'give a kubeconfig or server + token' }]);
    }
    const stored: StoredCredentials = {
      kind: 'token',
      server: input.server,
      token: input.token,
      insecureSkipTLSVerify: input.insecureSkipTLSVerify ?? false,
      ...(input.caData !== undefined ? { caData: input.caData.replace(/\s+/g, '') } : {}),
    };
    return { stored, connection: this.connectionOf(stored) };
  }

  connectionOf(stored: StoredCredentials): ClusterConnection {
    if (stored.kind === 'kubeconfig') return connectionFromKubeconfig(stored.kubeconfig);
    return {
      server: stored.server,
      token: stored.token,
      insecureSkipTLSVerify: stored.insecureSkipTLSVerify,
      ...(stored.caData !== undefined ? { caData: stored.caData } : {}),
    };
  }

  seal(clusterId: string, stored: StoredCredentials, connection: ClusterConnection): SealedCredentials {
    const sealed = this.keyRing.encrypt(JSON.stringify(stored), credentialContext(clusterId));
    return {
      ciphertext: sealed.ciphertext,
      keyId: sealed.keyId,
      fingerprint: `sha256:${createHash('sha256').update(canonical(stored)).digest('hex').slice(0, 32)}`,
      server: connection.server,
      insecureSkipTLSVerify: connection.insecureSkipTLSVerify ?? false,
    };
  }

  unseal(clusterId: string, sealed: { ciphertext: string; keyId: string }): ClusterConnection {
    const text = this.keyRing.decrypt(sealed, credentialContext(clusterId));
    let stored: StoredCredentials;
    try {
      stored = JSON.parse(text) as StoredCredentials;
    } catch (cause) {
      throw new DomainError(DomainErrorCode.Internal, 'Stored credentials are corrupt', { cause });
    }
    return this.connectionOf(stored);
  }
}
