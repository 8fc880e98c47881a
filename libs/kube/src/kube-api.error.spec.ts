import { describe, expect, it } from 'vitest';
import { KubeApiError, httpError, networkError, parseRetryAfter } from './kube-api.error.js';

describe('KubeApiError classification', () => {
  it('tells network failures apart', () => {
    const sys = (code: string, message = code) => Object.assign(new Error(message), { code });
    expect(networkError(sys('ECONNREFUSED'), 'h')).toMatchObject({ kind: 'unreachable', code: 'ECONNREFUSED', retryable: true });
    expect(networkError(sys('ENOTFOUND'), 'h')).toMatchObject({ kind: 'unreachable', code: 'ENOTFOUND', retryable: false });
    expect(networkError(sys('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'h')).toMatchObject({ kind: 'tls', retryable: false });
    expect(networkError(sys('ERR_TLS_CERT_ALTNAME_INVALID'), 'h').message).toMatch(/does not match the host name/);
    expect(networkError(sys('ECONNRESET'), 'h')).toMatchObject({ kind: 'connection-reset', retryable: true });
    expect(networkError(new Error('socket hang up'), 'h')).toMatchObject({ kind: 'connection-reset' });
    expect(networkError(new Error('weird'), 'h')).toMatchObject({ kind: 'unknown', retryable: false });
  });

  it('reads the Status body, causes and Retry-After', () => {
    const status = {
      kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422,
      message: 'NetworkPolicy.networking.k8s.io "x" is invalid: spec.podSelector: Invalid value',
      details: { causes: [{ reason: 'FieldValueInvalid', field: 'spec.podSelector', message: 'Invalid value' }] },
    };
    const e = httpError(422, JSON.stringify(status), {}, 'h');
    expect(e).toMatchObject({ kind: 'invalid', status: 422, reason: 'Invalid', retryable: false, message: status.message });
    expect(e.causes[0]?.field).toBe('spec.podSelector');
    expect(httpError(429, '{}', { 'retry-after': '3' }, 'h')).toMatchObject({ kind: 'throttled', retryable: true, retryAfterMs: 3000 });
    expect(httpError(401, undefined, {}, 'h')).toMatchObject({ kind: 'unauthorized', retryable: false });
    expect(httpError(403, undefined, {}, 'h').kind).toBe('forbidden');
    expect(httpError(404, undefined, {}, 'h').kind).toBe('not-found');
    expect(httpError(409, undefined, {}, 'h').kind).toBe('conflict');
    expect(httpError(503, 'oops', {}, 'h')).toMatchObject({ kind: 'server', retryable: true, message: 'oops' });
    expect(httpError(501, undefined, {}, 'h')).toMatchObject({ kind: 'server', retryable: false });
    expect(httpError(504, undefined, {}, 'h').kind).toBe('timeout');
  });

  it('parses Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('serialises without a stack or credentials', () => {
    const e = new KubeApiError({ kind: 'timeout', message: 'm' });
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ kind: 'timeout', retryable: true, message: 'm' });
  });
});
