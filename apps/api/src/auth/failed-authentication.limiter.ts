import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '@verity/platform';

const WINDOW_MS = 60_000;
/** Addresses remembered at once; beyond it the oldest window is forgotten (memory stays bounded). */
const MAX_ADDRESSES = 100_000;

/**
 * Counts failed authentications per client address in one-minute windows. The request limiter
 * counts per credential, so a client trying a new credential on every request was never slowed
 * down; past AUTH_FAILURES_PER_MINUTE the address gets 429 until its window ends, whatever it sends.
 * In memory, like the request limiter (one API process; docs/adr/0090).
 */
@Injectable()
export class FailedAuthenticationLimiter {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();
  private readonly limit: number;

  constructor(@Inject(CONFIG) config: Config) {
    this.limit = config.AUTH_FAILURES_PER_MINUTE;
  }

  isBlocked(address: string, now = Date.now()): boolean {
    const window = this.windows.get(address);
    return window !== undefined && now - window.startedAt < WINDOW_MS && window.failures >= this.limit;
  }

  recordFailure(address: string, now = Date.now()): void {
    const window = this.windows.get(address);
    if (window && now - window.startedAt < WINDOW_MS) {
      window.failures++;
      return;
    }
    this.windows.delete(address);
    if (this.windows.size >= MAX_ADDRESSES) this.windows.delete(this.windows.keys().next().value!);
    this.windows.set(address, { startedAt: now, failures: 1 });
  }
}
