import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The one way a test waits for something asynchronous: polls `check` until it returns a truthy
 * value, and returns that value. The timeout is an upper bound for a busy machine, never a claim
 * about speed: a check that holds returns at once, so a generous bound costs nothing. An error
 * thrown by `check` counts as "not yet" and is named if the time runs out.
 */
export async function eventually<T>(
  check: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  timeoutMs = 30_000,
  what = 'the condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${what} not reached within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`,
      );
    await sleep(25);
  }
}
