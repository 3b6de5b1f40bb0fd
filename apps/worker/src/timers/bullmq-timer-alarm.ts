import type { Queue } from 'bullmq';
import type { DueTimer, TimerAlarm } from '@verity/projections/timers';
import type { Clock } from './clock';
import { timerJobId, type FireTimerJob } from './timer-job';

const CHUNK = 1_000;

/** Resolves with the work, or rejects after `ms` (ioredis queues commands while Redis is away). */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The alarm clock in Redis: one BullMQ delayed job per pending timer, its id derived from the timer,
 * so setting it again is a no-op and clearing it needs no lookup. Failures are reported, not thrown:
 * the reconciler repairs whatever a Redis outage left out.
 */
export class BullTimerAlarm implements TimerAlarm {
  constructor(
    private readonly queue: Queue<FireTimerJob>,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
    private readonly timeoutMs = 5_000,
  ) {}

  async set(timers: DueTimer[]): Promise<void> {
    try {
      await this.add(timers);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Adds the jobs (a job id already present is left as it is); throws on failure. */
  async add(timers: DueTimer[]): Promise<void> {
    for (let from = 0; from < timers.length; from += CHUNK) {
      const chunk = timers.slice(from, from + CHUNK);
      await withTimeout(
        this.queue.addBulk(
          chunk.map((timer) => ({
            name: 'fire',
            data: timer,
            opts: {
              jobId: timerJobId(timer.tenantId, timer.timerKey),
              delay: Math.max(0, Math.ceil(this.clock.msUntil(timer.fireAt))),
            },
          })),
        ),
        this.timeoutMs,
        'setting timers',
      );
    }
  }

  async clear(timers: { tenantId: string; timerKey: string }[]): Promise<void> {
    try {
      await this.remove(timers.map((timer) => timerJobId(timer.tenantId, timer.timerKey)));
    } catch (error) {
      this.onError(error);
    }
  }

  /** Removes waiting or delayed jobs; a job running right now stays (its FireTimer decides nothing). */
  async remove(jobIds: string[]): Promise<void> {
    for (let from = 0; from < jobIds.length; from += CHUNK)
      await withTimeout(
        Promise.all(jobIds.slice(from, from + CHUNK).map((id) => this.queue.remove(id).catch(() => 0))),
        this.timeoutMs,
        'clearing timers',
      );
  }
}
