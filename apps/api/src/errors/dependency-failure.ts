import { Problem } from './problem';

/** Seconds a client is asked to wait before retrying while a dependency is away. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 2;

/** The connection could not be opened: the server was not reached, so nothing was done there. */
const NOT_REACHED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // PostgreSQL: starting up or shutting down, too many connections.
  '57P03',
  '53300',
]);

/** The connection broke while a statement was running: what it did is not known. */
const LOST = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  // PostgreSQL: admin or crash shutdown, connection failure, connection exceptions.
  '57P01',
  '57P02',
  '08000',
  '08003',
  '08006',
]);

// node-postgres reports these without a code.
const NOT_REACHED_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /Connection terminated due to connection timeout/i,
];
const LOST_MESSAGES = [/Connection terminated/i, /not queryable/i, /Connection is closed/i];

/** Whether a connection to PostgreSQL or Redis failed: never reached, or lost mid-statement. */
export function dependencyFailure(error: unknown): 'not-reached' | 'lost' | null {
  // Duck-typed: errors raised by Node's sockets may come from another realm (jest's sandbox).
  const { code: rawCode, message: rawMessage } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof rawMessage !== 'string') return null;
  const code = String(rawCode ?? '');
  if (NOT_REACHED.has(code) || NOT_REACHED_MESSAGES.some((pattern) => pattern.test(rawMessage)))
    return 'not-reached';
  if (LOST.has(code) || code.startsWith('08') || LOST_MESSAGES.some((pattern) => pattern.test(rawMessage)))
    return 'lost';
  return null;
}

/**
 * 503 with Retry-After for a dependency that is away, instead of 500: the client can tell "retry
 * later" from a bug. A write whose connection broke mid-statement may have committed, so its
 * answer says the outcome is unknown; the Idempotency-Key makes the retry take effect at most once
 * (ADR 0020).
 */
export function dependencyProblem(error: unknown, method: string | undefined): Problem | null {
  const failure = dependencyFailure(error);
  if (!failure) return null;
  const write = method !== undefined && !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
  const retry = { retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS };
  if (failure === 'lost' && write) {
    return new Problem(
      503,
      'outcome-unknown',
      'The connection to the database was lost while the request was being handled: it may or may not ' +
        'have taken effect. Retry it with the same Idempotency-Key, which makes it take effect at most once.',
      { outcome: 'unknown' },
      retry,
    );
  }
  return new Problem(
    503,
    'dependency-unavailable',
    'A service the API depends on is unavailable; retry later' +
      (write ? ' with the same Idempotency-Key.' : '.'),
    {},
    retry,
  );
}
