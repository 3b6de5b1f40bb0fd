import { dependencyFailure } from '@verity/platform';
import { Problem } from './problem';

/** Seconds a client is asked to wait before retrying while a dependency is away. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 2;

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
