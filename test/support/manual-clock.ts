import IORedis from 'ioredis';
import { MANUAL_CLOCK_CHANNEL } from '../../apps/worker/src/timers/manual-clock.control';
import { eventually } from './eventually';

/** How long a sent clock message may go unanswered before the next one is sent. */
const RESEND_AFTER_MS = 5_000;

/**
 * Fires an appraisal's timers one at a time on a worker whose clock stands still
 * (`TIMERS_CLOCK=manual`, ADR 0130), until `outcomes()` lists `count` of them.
 *
 * Each message moves the worker's clock to the appraisal's next pending timer and fires it. A
 * message is sent only while the awaited outcome is not yet seen, and again at most every 5 s
 * (a message can arrive before the worker subscribes), so a repeat cannot fire the timer after
 * the awaited one: the test sees every outcome in its order however busy the machine is.
 */
export async function fireTimersInTurn(options: {
  redisUrl: string;
  tenantId: string;
  appraisalId: string;
  outcomes: () => Promise<readonly unknown[]>;
  count: number;
  what: string;
  /** What to add to the message when a timer is not reached (e.g. the worker's last output). */
  diagnose?: () => string;
}): Promise<void> {
  const clockControl = new IORedis(options.redisUrl);
  try {
    let sentAt = 0;
    for (let fired = 1; fired <= options.count; fired++)
      await eventually(
        async () => {
          if ((await options.outcomes()).length >= fired) return true;
          if (Date.now() - sentAt < RESEND_AFTER_MS) return false;
          sentAt = Date.now();
          await clockControl.publish(
            MANUAL_CLOCK_CHANNEL,
            JSON.stringify({ tenantId: options.tenantId, appraisalId: options.appraisalId }),
          );
          return false;
        },
        // An upper bound for a machine busy with other test runs, never a claim about speed.
        180_000,
        `timer ${fired} of ${options.what}`,
      ).catch(async (error: Error) => {
        const more = options.diagnose ? `\n${options.diagnose()}` : '';
        throw new Error(`${error.message}; saw ${JSON.stringify(await options.outcomes())}${more}`);
      });
  } finally {
    clockControl.disconnect();
  }
}
