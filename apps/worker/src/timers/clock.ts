/** Where the worker reads the time: the real clock, or a manual one that a test moves. */
export interface Clock {
  now(): Date;
  /** Real milliseconds until the clock reads `instant` (negative once it has passed). */
  msUntil(instant: string): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  msUntil: (instant) => Date.parse(instant) - Date.now(),
};

export interface ManualClock extends Clock {
  advance(ms: number): void;
}

/**
 * A clock that stands still until it is moved: timers set on it are BullMQ jobs delayed by the
 * distance to their due time on this clock, so a test fires them when it chooses (by promoting the
 * job), never because the machine was slow.
 */
export function manualClock(startsAt: string): ManualClock {
  let now = Date.parse(startsAt);
  return {
    now: () => new Date(now),
    msUntil: (instant) => Date.parse(instant) - now,
    advance: (ms) => void (now += Math.max(0, ms)),
  };
}
