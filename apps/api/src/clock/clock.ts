/** The API's source of time; the domain receives `now` from it through the context (STYLE.md habit 3). */
export interface Clock {
  now(): Date;
}
export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = { now: () => new Date() };

/** The clock's date (UTC), `YYYY-MM-DD`: the default date of the reads taken on a day. */
export const todayOf = (clock: Clock): string => clock.now().toISOString().slice(0, 10);
