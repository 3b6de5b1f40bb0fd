/** How long and how often a delivery is retried, and when a failing subscription is paused. */
export interface RetryPolicy {
  /** Delay before the second attempt; each further one doubles, up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** After this long since the first attempt, the next failure dead-letters the delivery. */
  retryWindowMs: number;
  /** A subscription with no success for this long (and at least one failure) is paused. */
  pauseAfterMs: number;
  /** Per-request timeout. */
  timeoutMs: number;
}

/** About a day of retries: 10 s, 20 s, 40 s … capped at 2 h (≈ 20 attempts); paused after 6 h of failures. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  initialDelayMs: 10_000,
  maxDelayMs: 2 * 60 * 60_000,
  retryWindowMs: 24 * 60 * 60_000,
  pauseAfterMs: 6 * 60 * 60_000,
  timeoutMs: 10_000,
};

/**
 * Exponential backoff with "equal jitter" after attempt `attempt` (1-based) failed: half the
 * exponential delay fixed, half random, so retries of many deliveries spread out but never collapse to zero.
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
