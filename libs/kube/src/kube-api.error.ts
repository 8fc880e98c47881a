/** How a call to a cluster failed, coarse enough to decide what to do about it. */
export type KubeApiErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'tls'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'invalid'
  | 'throttled'
  | 'server'
  | 'connection-reset'
  | 'unknown';

/** One `details.causes[]` entry of a Kubernetes `Status`. */
export interface KubeStatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The Kubernetes `Status` object an API server sends with an error. */
export interface KubeStatus {
  kind?: 'Status';
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: KubeStatusCause[]; retryAfterSeconds?: number };
}

export interface KubeApiErrorInit {
  kind: KubeApiErrorKind;
  message: string;
  status?: number;
  code?: string;
  reason?: string;
  causes?: KubeStatusCause[];
  retryAfterMs?: number;
  retryable?: boolean;
  cause?: unknown;
}

const RETRYABLE: Record<KubeApiErrorKind, boolean> = {
  unreachable: true,
  timeout: true,
  tls: false,
  unauthorized: false,
  forbidden: false,
  'not-found': false,
  conflict: false,
  invalid: false,
  throttled: true,
  server: true,
  'connection-reset': true,
  unknown: false,
};

/**
 * Every failure of a cluster call. `kind` classifies it, `status` is the HTTP status when the
 * server answered, `code` the system/TLS error code when it did not (ECONNREFUSED, ENOTFOUND,
 * UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID, …), `reason`/`causes` come from
 * the server's `Status`. The message never contains credentials.
 */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  readonly kind: KubeApiErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly reason: string | undefined;
  readonly causes: KubeStatusCause[];
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(init: KubeApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.reason = init.reason;
    this.causes = init.causes ?? [];
    this.retryAfterMs = init.retryAfterMs;
    this.retryable = init.retryable ?? (RETRYABLE[init.kind] && !(init.status === 501));
  }

  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      message: this.message,
      status: this.status,
      code: this.code,
      reason: this.reason,
      causes: this.causes,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

const TLS_TEXT: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not signed by a trusted CA',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate chain ends in an untrusted self-signed CA',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not match the host name',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not yet valid',
};

/** Classifies a transport-level failure (no HTTP response). */
export function networkError(err: unknown, target: string): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const e = err as { code?: string; message?: string; name?: string } | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const raw = e?.message ?? String(err);
  if (code && (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))) {
    return new KubeApiError({ kind: 'tls', code, message: `TLS handshake with ${target} failed: ${TLS_TEXT[code] ?? raw} (${code})`, cause: err });
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new KubeApiError({ kind: 'unreachable', code, message: `connection to ${target} refused (ECONNREFUSED)`, cause: err });
    case 'ENOTFOUND':
      return new KubeApiError({ kind: 'unreachable', code, retryable: false, message: `host of ${target} not found in DNS (ENOTFOUND)`, cause: err });
    case 'EAI_AGAIN':
      return new KubeApiError({ kind: 'unreachable', code, message: `DNS lookup for ${target} failed temporarily (EAI_AGAIN)`, cause: err });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new KubeApiError({ kind: 'unreachable', code, message: `${target} is unreachable (${code})`, cause: err });
    case 'ETIMEDOUT':
      return new KubeApiError({ kind: 'timeout', code, message: `connecting to ${target} timed out (ETIMEDOUT)`, cause: err });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return new KubeApiError({ kind: 'connection-reset', code, message: `connection to ${target} was reset (${code})`, cause: err });
    default:
      break;
  }
  if (raw === 'socket hang up') {
    return new KubeApiError({ kind: 'connection-reset', code: code ?? 'ECONNRESET', message: `connection to ${target} was reset (socket hang up)`, cause: err });
  }
  return new KubeApiError({ kind: 'unknown', code, message: `request to ${target} failed: ${raw}`, cause: err });
}

/** Parses a Retry-After header (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

function kindForStatus(status: number, reason: string | undefined): KubeApiErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 422 || status === 415) return 'invalid';
  if (status === 429) return 'throttled';
  if (status === 408 || status === 504 || reason === 'Timeout') return 'timeout';
  if (status >= 500) return 'server';
  return 'unknown';
}

/** Builds the error for an HTTP response outside 2xx, from its status, body text and headers. */
export function httpError(status: number, body: string | undefined, headers: Record<string, string | undefined>, target: string): KubeApiError {
  let parsed: KubeStatus | undefined;
  if (body) {
    try {
      const j = JSON.parse(body) as unknown;
      if (j && typeof j === 'object') parsed = j as KubeStatus;
    } catch {
      parsed = undefined;
    }
  }
  const reason = parsed?.reason;
  const kind = kindForStatus(status, reason);
  let retryAfterMs = parseRetryAfter(headers['retry-after']);
  if (retryAfterMs === undefined && parsed?.details?.retryAfterSeconds !== undefined) retryAfterMs = parsed.details.retryAfterSeconds * 1000;
  const serverMessage = parsed?.message ?? (body && !parsed ? body.slice(0, 300).trim() : undefined);
  const message = serverMessage ? serverMessage : `${target} answered HTTP ${status}${reason ? ` (${reason})` : ''}`;
  return new KubeApiError({ kind, status, reason, causes: parsed?.details?.causes ?? [], retryAfterMs, message });
}
