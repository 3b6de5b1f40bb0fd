/** Where the worker reads the time: the real clock, or a test's faster one. */
export interface Clock {
  now(): Date;
  /** Real milliseconds until the clock reads `instant` (negative once it has passed). */
  msUntil(instant: string): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  msUntil: (instant) => Date.parse(instant) - Date.now(),
};

/**
 * A clock that reads `startsAt` now and runs `speed` times faster than real time, so a test can
 * watch day-based escalations walk their levels in seconds.
 */
export function fastClock(startsAt: string, speed: number): Clock {
  const realStart = Date.now();
  const virtualStart = Date.parse(startsAt);
  const now = () => virtualStart + (Date.now() - realStart) * speed;
  return {
    now: () => new Date(now()),
    msUntil: (instant) => (Date.parse(instant) - now()) / speed,
  };
}
