import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import { HitLog } from './hit-log';

/**
 * ADR 0184: the rate limiter's storage answers as the library's own, call for call. The same
 * requests (credentials, gaps, limits, windows, blocks) go to both on one manual clock.
 */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

describe('HitLog', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-06T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  /** A small deterministic generator: the same sequence on every run. */
  const numbers = (seed: number) => () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };

  /**
   * What the guard reads of an answer: the time until a block ends only while blocked. (Of a record
   * swept while idle, and so new again, the two storages say different negative numbers there:
   * the library sweeps on a timer of its own, HitLog when a request finds the sweep due.)
   */
  const read = ({ totalHits, timeToExpire, isBlocked, timeToBlockExpire }: ThrottlerStorageRecord) => ({
    totalHits,
    timeToExpire,
    isBlocked,
    ...(isBlocked ? { timeToBlockExpire } : {}),
  });

  it.each([
    ['blocking for the window (the API: block = ttl)', 5, 1_000, 1_000],
    ['blocking longer than the window', 3, 500, 2_000],
    ['without a block', 4, 800, 0],
  ])('answers as ThrottlerStorageService, %s', async (_name, limit, ttl, blockDuration) => {
    const library = new ThrottlerStorageService();
    const ours = new HitLog();
    const next = numbers(limit * 7 + ttl);
    const keys = ['c:one', 'c:two', 'ip:127.0.0.1'];
    let blocked = 0;
    for (let call = 0; call < 3_000; call++) {
      // Bursts and pauses: mostly a few ms apart, sometimes past the window or the block.
      const gap =
        next() < 0.05 ? Math.floor(next() * 3 * Math.max(ttl, blockDuration)) : Math.floor(next() * 60);
      jest.advanceTimersByTime(gap);
      const key = keys[Math.floor(next() * keys.length)];
      const expected = await library.increment(key, ttl, limit, blockDuration, 'per-credential');
      const actual = await ours.increment(key, ttl, limit, blockDuration, 'per-credential');
      expect({ call, ...read(actual) }).toEqual({ call, ...read(expected) });
      if (actual.isBlocked) blocked++;
    }
    // The replay went through blocks, not only through requests under the limit.
    expect(blocked).toBeGreaterThan(100);
    library.onApplicationShutdown();
  });
});
