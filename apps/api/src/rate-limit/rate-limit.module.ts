import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { createHash } from 'node:crypto';

/** Requests per second per credential (or per IP without one); above it → 429 problem+json. */
export const RATE_LIMIT_PER_SECOND = 200;

/**
 * Tracks by credential, not IP: many users share a proxy's address, and one user's token should
 * not be able to flood the API. Only a hash of the header is kept in memory.
 */
function trackerOf(request: Record<string, unknown>): string {
  const headers = request.headers as Record<string, string | undefined>;
  const credential = headers['authorization'] ?? headers['x-api-key'];
  if (credential) return `c:${createHash('sha256').update(credential).digest('base64url').slice(0, 22)}`;
  return `ip:${String(request.ip ?? 'unknown')}`;
}

@Module({
  imports: [
    ThrottlerModule.forRoot({
      throttlers: [{ name: 'per-second', ttl: 1000, limit: RATE_LIMIT_PER_SECOND }],
      getTracker: trackerOf,
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class RateLimitModule {}
