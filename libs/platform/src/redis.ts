import IORedis, { RedisOptions } from 'ioredis';

/**
 * BullMQ workers block on Redis; `maxRetriesPerRequest: null` keeps a blocked command from
 * failing while Redis restarts (BullMQ refuses worker connections without it).
 */
export function createRedis(url: string, options: RedisOptions = {}): IORedis {
  return new IORedis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
    ...options,
  });
}
