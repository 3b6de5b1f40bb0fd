import type { Queue } from 'bullmq';
import type IORedis from 'ioredis';
import type { TimersRepository } from '@verity/projections/timers';
import type { BullTimerAlarm } from './bullmq-timer-alarm';
import type { Clock } from './clock';
import { isTimerJobId, timerJobId, type FireTimerJob } from './timer-job';

export interface ReconcileResult {
  pending: number;
  created: number;
  removed: number;
}

/** A job set inside a consumer transaction that has not committed yet looks stale for a moment. */
const STALE_AFTER_MS = 60_000;
/** How long after its due time a timer without a job counts as just fired rather than lost. */
const JUST_FIRED_MS = 30_000;
/** Timers (and Redis ids) looked at per step; the worker fires timers between steps. */
const PAGE = 1_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Puts Redis back in line with the timers read model (the source of truth): every pending timer has
 * its job (after a FLUSHALL, a failover, a failed set), and jobs of timers that fired, were
 * cancelled or no longer exist are removed. Failed jobs are left for inspection.
 *
 * It runs every minute beside the timers that are firing, so it walks in pages: one page of pending
 * timers, one pipelined EXISTS per page in Redis, then the event loop's turn. Reading all 100,000
 * pending timers and every job id at once stalled firing for half a second (bench:timers).
 * A timer that fires between its page's read and the EXISTS may get its job back; that job then
 * decides nothing (the step's timer is done), so the race costs a no-op, never a second event.
 */
export class TimerReconciler {
  constructor(
    private readonly queue: Queue<FireTimerJob>,
    private readonly redis: IORedis,
    private readonly timers: TimersRepository,
    private readonly alarm: BullTimerAlarm,
    private readonly clock: Clock,
    private readonly options: {
      staleAfterMs?: number;
      pageSize?: number;
      justFiredMs?: number;
      /** Only these tenants' timers and jobs (a test shares its database with other files). */
      tenants?: (tenantId: string) => boolean;
    } = {},
  ) {}

  private get staleAfterMs() {
    return this.options.staleAfterMs ?? STALE_AFTER_MS;
  }

  private get justFiredMs() {
    return this.options.justFiredMs ?? JUST_FIRED_MS;
  }

  private get pageSize() {
    return this.options.pageSize ?? PAGE;
  }

  async reconcile(): Promise<ReconcileResult> {
    const pendingIds = new Set<string>();
    let created = 0;
    const inScope = this.options.tenants ?? (() => true);
    for (const tenantId of (await this.timers.tenants()).filter(inScope)) {
      for (let afterKey: string | null = null; ;) {
        const page = await this.timers.pendingPage(tenantId, afterKey, this.pageSize);
        if (page.length === 0) break;
        const ids = page.map((timer) => timerJobId(tenantId, timer.timerKey));
        for (const id of ids) pendingIds.add(id);
        const found = await this.redis.pipeline(ids.map((id) => ['exists', this.queue.toKey(id)])).exec();
        // A timer that fell due a moment ago and has no job most likely just fired: its job is gone
        // and the consumer has not marked it yet. It is left to the next round, which adds it if it
        // is still pending then (re-adding it now would fire a no-op for each of them).
        const missing = page.filter((timer, index) => {
          if (found?.[index]?.[1] === 1) return false;
          // On the worker's clock, as the job's delay was: a test or demo clock runs apart from Date.now().
          const dueIn = this.clock.msUntil(timer.fireAt);
          return !(dueIn <= 0 && dueIn > -this.justFiredMs);
        });
        await this.alarm.add(missing);
        created += missing.length;
        afterKey = page[page.length - 1].timerKey;
        await nextTurn();
      }
    }

    const stale: string[] = [];
    // Pages by index: a job that leaves the list meanwhile shifts the rest, so one may be skipped
    // this round and looked at in the next.
    for (let start = 0; ; start += this.pageSize) {
      const waiting = await this.queue.getRanges(
        ['delayed', 'wait', 'prioritized'],
        start,
        start + this.pageSize - 1,
      );
      if (waiting.length === 0) break;
      for (const id of waiting) {
        if (!isTimerJobId(id) || pendingIds.has(id)) continue;
        const job = await this.queue.getJob(id);
        if (!job || !inScope(job.data.tenantId)) continue;
        // A job's age is real time (BullMQ stamps it with Date.now()): how long a transaction may stay
        // open does not speed up with a demo clock, so it is measured on the same real clock.
        if (Date.now() - job.timestamp > this.staleAfterMs && !(await this.stillPending(job.data)))
          stale.push(id);
      }
      await nextTurn();
    }
    await this.alarm.remove(stale);
    return { pending: pendingIds.size, created, removed: stale.length };
  }

  private async stillPending(job: FireTimerJob): Promise<boolean> {
    const statuses = await this.timers.statuses(job.tenantId, [job.timerKey]);
    return statuses.get(job.timerKey) === 'pending';
  }
}
