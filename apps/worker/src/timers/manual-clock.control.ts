import type IORedis from 'ioredis';
import type { ManualClock } from './clock';
import { timerJobId } from './timer-job';
import type { TimersRuntime } from './timers.runtime';

/** The Redis channel a test publishes on to move a manual-clock worker (`TIMERS_CLOCK=manual`). */
export const MANUAL_CLOCK_CHANNEL = 'verity:timers:manual-clock';

/** What a test publishes: fire the next pending timer of this appraisal. */
export interface FireNextTimer {
  tenantId: string;
  appraisalId: string;
}

/**
 * Lets a test drive a worker process whose clock stands still (ADR 0130): each message moves the
 * clock to the appraisal's earliest pending timer and lets that timer's job run now. One timer per
 * message, taken from the read model, so the timers fire in their order however slow the machine is;
 * a message sent again before the read model marks the timer fired promotes nothing (its job is
 * gone) and is harmless. Channels are global to a Redis server, so a worker ignores appraisals that
 * are not in its database.
 */
export async function listenForManualClock(
  redis: IORedis,
  clock: ManualClock,
  runtime: Pick<TimersRuntime, 'queue' | 'timers'>,
  onError: (error: unknown) => void,
): Promise<() => Promise<void>> {
  const subscriber = redis.duplicate();
  subscriber.on('message', (_channel, message: string) => {
    void fireNext(JSON.parse(message) as FireNextTimer).catch(onError);
  });
  await subscriber.subscribe(MANUAL_CLOCK_CHANNEL);

  async function fireNext({ tenantId, appraisalId }: FireNextTimer): Promise<void> {
    const [next] = (await runtime.timers.ofAppraisal(tenantId, appraisalId)).filter(
      (timer) => timer.status === 'pending',
    );
    if (!next) return;
    clock.advance(clock.msUntil(next.fireAt));
    const job = await runtime.queue.getJob(timerJobId(tenantId, next.timerKey));
    if (job && (await job.isDelayed())) await job.promote();
  }

  return async () => {
    await subscriber.quit();
  };
}
