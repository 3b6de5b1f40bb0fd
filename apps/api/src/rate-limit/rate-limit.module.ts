import { Injectable, Module, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { CONFIG, type Config } from '@verity/platform';
import { HitLog } from './hit-log';

/** As many credentials as the token cache holds (auth/token-verifier.ts); beyond, the oldest is hashed again. */
const MAX_CACHED_TRACKERS = 10_000;
/** Credential header → its tracker: a client presents the same credential on every request (ADR 0177). */
const trackers = new Map<string, string>();

/**
 * Tracks by credential, not IP: many users share a proxy's address, and one user's token should
 * not be able to flood the API. Only a hash of the header is kept in the limiter's records.
 */
function trackerOf(request: Record<string, unknown>): string {
  const headers = request.headers as Record<string, string | undefined>;
  const credential = headers['authorization'] ?? headers['x-api-key'];
  if (!credential) return `ip:${String(request.ip ?? 'unknown')}`;
  let tracker = trackers.get(credential);
  if (tracker === undefined) {
    tracker = `c:${createHash('sha256').update(credential).digest('base64url').slice(0, 22)}`;
    if (trackers.size >= MAX_CACHED_TRACKERS) trackers.delete(trackers.keys().next().value!);
    trackers.set(credential, tracker);
  }
  return tracker;
}

/**
 * The limiter's record key: route and tracker as they are. The library's default hashes them again
 * (sha256 per request), which a tracker that is already a short hash or an address does not need.
 */
function keyOf(context: ExecutionContext, tracker: string, throttler: string): string {
  return `${context.getClass().name}-${context.getHandler().name}-${throttler}-${tracker}`;
}

/**
 * The library's guard, without what it does per request for routes that change nothing about the
 * limit (ADR 0184): it looks up six route and class overrides (skip, limit, window, block,
 * tracker, key) through `reflect-metadata` and awaits each configured value, on every request.
 * Decorators fix a route's overrides when its class is declared, so whether a route has any is
 * found once per handler; a route with none, under the one numeric throttler configured here, goes
 * straight to the library's own `handleRequest` (the same storage, headers and 429). Any other
 * route or configuration takes the library's whole path.
 */
@Injectable()
export class CredentialThrottlerGuard extends ThrottlerGuard {
  /** Handler → whether it or its class carries any throttler decorator. */
  private readonly overridden = new WeakMap<object, boolean>();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    let overridden = this.overridden.get(handler);
    if (overridden === undefined) {
      const keys = [...Reflect.getMetadataKeys(handler), ...Reflect.getMetadataKeys(context.getClass())];
      overridden = keys.some((key) => typeof key === 'string' && key.startsWith('THROTTLER:'));
      this.overridden.set(handler, overridden);
    }
    const throttler = this.throttlers.length === 1 ? this.throttlers[0] : undefined;
    const { limit, ttl } = throttler ?? {};
    const blockDuration = throttler?.blockDuration ?? ttl;
    if (
      overridden ||
      !throttler ||
      typeof limit !== 'number' ||
      typeof ttl !== 'number' ||
      typeof blockDuration !== 'number' ||
      throttler.skipIf ||
      this.commonOptions.skipIf
    )
      return super.canActivate(context);
    return this.handleRequest({
      context,
      limit,
      ttl,
      throttler,
      blockDuration,
      getTracker: throttler.getTracker ?? this.commonOptions.getTracker!,
      generateKey: throttler.generateKey ?? this.commonOptions.generateKey!,
    });
  }
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
        generateKey: keyOf,
        storage: new HitLog(),
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: CredentialThrottlerGuard }],
})
export class RateLimitModule {}
