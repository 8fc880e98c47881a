import { describe, expect, it } from 'vitest';
import { redactSummary } from './audit.service.js';

describe('redactSummary', () => {
  it('removes secret-looking members at any depth and keeps the rest', () => {
    expect(
      redactSummary({
        name: 'c1',
        credentialFingerprint: 'sha256:ab',
        credentialsKind: 'token',
        credentials: { token: 't' },
        nested: [{ token: 'x', password: 'y', caData: 'z', kubeconfig: 'k', ok: 1 }],
      }),
    ).toEqual({
      name: 'c1',
      credentialFingerprint: 'sha256:ab',
      credentialsKind: 'token',
      credentials: '[redacted]',
      nested: [{ token: '[redacted]', password: '[redacted]', caData: '[redacted]', kubeconfig: '[redacted]', ok: 1 }],
    });
  });
});
