// What a lost or refused connection to PostgreSQL or Redis looks like, for the API's 503 and the
// worker's retries: one list, so the two never disagree on what counts as an outage.

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
