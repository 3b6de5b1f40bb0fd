import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { CONFIG, type Config } from '@verity/platform';

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
    // RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_MS (200 a second by default); above it → 429 problem+json.
    ThrottlerModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: Config) => ({
        throttlers: [
          { name: 'per-credential', ttl: config.RATE_LIMIT_WINDOW_MS, limit: config.RATE_LIMIT_REQUESTS },
        ],
        getTracker: trackerOf,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class RateLimitModule {}
