import { DomainError, DomainErrorCode } from '../errors/index.js';

/** SQLSTATEs that mean the input cannot be stored or compared, never a fault of ours. */
const INVALID_INPUT: Record<string, string> = {
  '22021': 'contains a character the database cannot store (e.g. a NUL byte)',
  '22P05': 'contains a character the database cannot store (e.g. a NUL byte)',
  '22P02': 'is not a valid value of its type',
  '22003': 'is out of range',
  '54001': 'is too deeply nested',
};
/** Prisma codes and driver-adapter kinds that mean the database is unreachable or overloaded. */
const UNAVAILABLE_PRISMA = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'DatabaseDoesNotExist', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TransactionStartTimeout']);
const UNAVAILABLE_SQLSTATE = /^(08|57P0|53300)/;
const UNAVAILABLE_NODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
const UNAVAILABLE_MESSAGE = /Connection terminated|Can't reach database server|connection timeout|Timed out fetching a new connection|Client has encountered a connection error|the database system is (starting up|shutting down)|Transaction API error|terminating connection/i;

interface AdapterCause {
  originalCode?: string;
  kind?: string;
  code?: string;
}

function causeOf(error: object): AdapterCause {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: AdapterCause } } }).meta;
  return meta?.driverAdapterError?.cause ?? (error as { cause?: AdapterCause }).cause ?? {};
}

/**
 * A database failure as a domain error: input Postgres cannot take (NUL bytes, non-UUIDs,
 * out-of-range numbers) is VALIDATION_FAILED, an unreachable or restarting database is
 * UNAVAILABLE. Anything else is not ours to classify (undefined): it stays a 500.
 */
export function databaseFailure(error: unknown): DomainError | undefined {
  if (error instanceof DomainError || typeof error !== 'object' || error === null) return undefined;
  const { code, message = '' } = error as { code?: unknown; message?: string };
  const cause = causeOf(error);
  const sqlState = cause.originalCode ?? (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined);
  const reason = sqlState ? INVALID_INPUT[sqlState] : undefined;
  if (reason) return DomainError.validation('Invalid input', [{ field: '(input)', message: `a value ${reason}` }]);
  if (
    (typeof code === 'string' && (UNAVAILABLE_PRISMA.has(code) || UNAVAILABLE_NODE.has(code))) ||
    (cause.kind !== undefined && UNAVAILABLE_KINDS.has(cause.kind)) ||
    (cause.code !== undefined && UNAVAILABLE_NODE.has(cause.code)) ||
    (sqlState !== undefined && UNAVAILABLE_SQLSTATE.test(sqlState)) ||
    UNAVAILABLE_MESSAGE.test(message) ||
    (error as { name?: string }).name === 'PrismaClientInitializationError'
  ) {
    return new DomainError(DomainErrorCode.Unavailable, 'The database is unavailable; retry shortly', { details: { retryAfterSeconds: 5 }, cause: error });
  }
  return undefined;
}
