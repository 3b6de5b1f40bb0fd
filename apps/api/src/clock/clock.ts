/** The API's source of time; the domain receives `now` from it through the context (STYLE.md habit 3). */
export interface Clock {
  now(): Date;
}
export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = { now: () => new Date() };
