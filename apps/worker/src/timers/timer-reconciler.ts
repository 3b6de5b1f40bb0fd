import type { Queue } from 'bullmq';
import type { TimersRepository } from '@verity/projections/timers';
import type { BullTimerAlarm } from './bullmq-timer-alarm';
import { isTimerJobId, timerJobId, type FireTimerJob } from './timer-job';

export interface ReconcileResult {
  pending: number;
  created: number;
  removed: number;
}

/** A job set inside a consumer transaction that has not committed yet looks stale for a moment. */
const STALE_AFTER_MS = 60_000;

/**
 * Puts Redis back in line with the timers read model (the source of truth): every pending timer has
 * its job (after a FLUSHALL, a failover, a failed set), and jobs of timers that fired, were
 * cancelled or no longer exist are removed. Failed jobs are left for inspection.
 */
export class TimerReconciler {
  constructor(
    private readonly queue: Queue<FireTimerJob>,
    private readonly timers: TimersRepository,
    private readonly alarm: BullTimerAlarm,
    private readonly staleAfterMs = STALE_AFTER_MS,
  ) {}

  async reconcile(): Promise<ReconcileResult> {
    // Redis first: a timer committed after this read has its job added by the projection already.
    const inRedis = new Set(
      await this.queue.getRanges(['delayed', 'wait', 'prioritized', 'active', 'failed'], 0, -1),
    );
    const pendingIds = new Set<string>();
    const missing = [];
    for (const tenantId of await this.timers.tenants())
      for (const timer of await this.timers.pending(tenantId)) {
        const id = timerJobId(tenantId, timer.timerKey);
        pendingIds.add(id);
        if (!inRedis.has(id)) missing.push(timer);
      }
    await this.alarm.add(missing);

    const waiting = await this.queue.getRanges(['delayed', 'wait', 'prioritized'], 0, -1);
    const candidates = waiting.filter((id) => isTimerJobId(id) && !pendingIds.has(id));
    const stale: string[] = [];
    for (const id of candidates) {
      const job = await this.queue.getJob(id);
      if (job && Date.now() - job.timestamp > this.staleAfterMs && !(await this.stillPending(job.data)))
        stale.push(id);
    }
    await this.alarm.remove(stale);
    return { pending: pendingIds.size, created: missing.length, removed: stale.length };
  }

  private async stillPending(job: FireTimerJob): Promise<boolean> {
    const statuses = await this.timers.statuses(job.tenantId, [job.timerKey]);
    return statuses.get(job.timerKey) === 'pending';
  }
}
