import type { Clock } from '../clock';

/**
 * A clock that stands still until the test moves it: timers set on it are BullMQ jobs delayed by the
 * distance to their due time on this clock, so a test fires them when it chooses (`promoteJobs`),
 * never because the machine was slow.
 */
export function manualClock(startsAt: string): Clock & { advance(ms: number): void } {
  let now = Date.parse(startsAt);
  return {
    now: () => new Date(now),
    msUntil: (instant) => Date.parse(instant) - now,
    advance: (ms) => void (now += ms),
  };
}
