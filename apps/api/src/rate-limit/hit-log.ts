import type { ThrottlerStorage } from '@nestjs/throttler';

/** How often records without live hits or block are dropped, as the library's storage does. */
const SWEEP_INTERVAL_MS = 60_000;

interface HitRecord {
  /** Each throttler's hits: when each one stops counting, oldest first. */
  hits: Map<string, number[]>;
  expiresAt: number;
  blockExpiresAt: number;
  isBlocked: boolean;
}

/**
 * The rate limiter's records in this process: the answers of @nestjs/throttler's own in-memory
 * storage (`ThrottlerStorageService`, 6.7), call for call, without its allocations per request
 * (ADR 0184). The library filters a credential's whole list of hits into a new array on every
 * request (up to the limit: 200 numbers) and keeps a timer for its sweep; here expired hits are
 * dropped from the list in place, and idle records are swept by the request that finds the
 * sweep due. `hit-log.unit.spec.ts` replays the same requests against both.
 */
export class HitLog implements ThrottlerStorage {
  private readonly records = new Map<string, HitRecord>();
  private nextSweep = 0;

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    return Promise.resolve(this.hit(key, ttl, limit, blockDuration, throttlerName));
  }

  private hit(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    const now = Date.now();
    if (now >= this.nextSweep) this.sweep(now);
    let record = this.records.get(key);
    if (!record) {
      record = { hits: new Map(), expiresAt: now + ttl, blockExpiresAt: 0, isBlocked: false };
      this.records.set(key, record);
    }
    let hits = record.hits.get(throttlerName);
    if (!hits) record.hits.set(throttlerName, (hits = []));
    dropExpired(hits, now);
    let timeToExpire = secondsUntil(record.expiresAt, now);
    if (timeToExpire <= 0) {
      record.expiresAt = now + ttl;
      timeToExpire = secondsUntil(record.expiresAt, now);
    }
    if (blockDuration <= 0) {
      const isBlocked = hits.length >= limit;
      if (!isBlocked) hits.push(now + ttl);
      const untilFree = hits.length ? secondsUntil(Math.min(...hits), now) : timeToExpire;
      return {
        totalHits: hits.length + (isBlocked ? 1 : 0),
        timeToExpire,
        isBlocked,
        timeToBlockExpire: isBlocked ? untilFree : 0,
      };
    }
    if (!record.isBlocked) hits.push(now + ttl);
    if (hits.length > limit && !record.isBlocked) {
      record.isBlocked = true;
      record.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = secondsUntil(record.blockExpiresAt, now);
    if (timeToBlockExpire <= 0 && record.isBlocked) {
      record.isBlocked = false;
      hits.length = 0;
      hits.push(now + ttl);
    }
    return { totalHits: hits.length, timeToExpire, isBlocked: record.isBlocked, timeToBlockExpire };
  }

  /** Drops records with no block, window or hit still running. */
  private sweep(now: number): void {
    this.nextSweep = now + SWEEP_INTERVAL_MS;
    for (const [key, record] of this.records) {
      if ((record.isBlocked && record.blockExpiresAt > now) || record.expiresAt > now) continue;
      let live = false;
      for (const hits of record.hits.values()) live ||= hits.some((expiresAt) => expiresAt > now);
      if (!live) this.records.delete(key);
    }
  }
}

const secondsUntil = (at: number, now: number) => Math.ceil((at - now) / 1000);

/** Keeps the hits still counting, in order, in the same array. */
function dropExpired(hits: number[], now: number): void {
  let kept = 0;
  for (let index = 0; index < hits.length; index++) if (hits[index] > now) hits[kept++] = hits[index];
  hits.length = kept;
}
