import IORedis, { RedisOptions } from 'ioredis';

/**
 * BullMQ workers block on Redis; `maxRetriesPerRequest: null` keeps a blocked command from
 * failing while Redis restarts (BullMQ refuses worker connections without it).
 */
export function createRedis(url: string, options: RedisOptions = {}): IORedis {
  const redis = new IORedis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
    // ioredis waits up to 2 s between reconnection attempts by default; /health should see Redis
    // back well within 2 s of its return.
    retryStrategy: (attempt) => Math.min(attempt * 50, RECONNECT_MAX_DELAY_MS),
    ...options,
  });
  // ioredis reconnects by itself and its 'error' events only repeat that Redis is away: the
  // commands in hand fail for their callers, and /health reports the outage.
  redis.on('error', () => undefined);
  return redis;
}

export const RECONNECT_MAX_DELAY_MS = 500;
