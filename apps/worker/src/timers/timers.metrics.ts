import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, register } from 'prom-client';

/** Queues whose jobs the gauges count (one per running timers runtime in this process). */
const queues = new Set<Queue>();

function once<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** The timers' metrics on the worker's registry (prom-client's default, served at /metrics). */
export const timerMetrics = {
  jobs: once(
    'verity_timer_jobs',
    () =>
      new Gauge({
        name: 'verity_timer_jobs',
        help: 'Timer and notification jobs in Redis by state',
        labelNames: ['queue', 'state'],
        async collect() {
          this.reset();
          for (const queue of queues) {
            const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'failed');
            for (const [state, count] of Object.entries(counts))
              this.set({ queue: queue.name, state }, count);
          }
        },
      }),
  ),
  lateness: once(
    'verity_timer_lateness_seconds',
    () =>
      new Histogram({
        name: 'verity_timer_lateness_seconds',
        help: 'How long after its due time a timer fired',
        labelNames: ['kind'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 3600],
      }),
  ),
  fired: once(
    'verity_timers_fired_total',
    () =>
      new Counter({
        name: 'verity_timers_fired_total',
        help: 'FireTimer commands sent, by outcome (recorded: an event was appended)',
        labelNames: ['kind', 'outcome'],
      }),
  ),
  pending: once(
    'verity_timers_pending',
    () => new Gauge({ name: 'verity_timers_pending', help: 'Pending timers at the last reconcile' }),
  ),
  reconciled: once(
    'verity_timer_reconcile_jobs_total',
    () =>
      new Counter({
        name: 'verity_timer_reconcile_jobs_total',
        help: 'Jobs the reconciler re-created or removed',
        labelNames: ['action'],
      }),
  ),
  notifications: once(
    'verity_notifications_total',
    () =>
      new Counter({
        name: 'verity_notifications_total',
        help: 'Notifications by channel and outcome',
        labelNames: ['channel', 'outcome'],
      }),
  ),
  watch(queue: Queue): () => void {
    queues.add(queue);
    return () => queues.delete(queue);
  },
};
