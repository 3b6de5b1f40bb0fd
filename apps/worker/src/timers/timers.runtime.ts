import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type IORedis from 'ioredis';
import type { Pool } from 'pg';
import { DomainError } from '@verity/domain';
import { ConsumerRunner, type ConsumerHandler, type EventStore } from '@verity/event-store';
import { dependencyFailure } from '@verity/platform';
import { timersProjection, TimersRepository, WorkflowVersions } from '@verity/projections/timers';
import {
  DirectoryHistory,
  NOTIFICATIONS_QUEUE,
  timerNotificationsProjection,
  type EmailJob,
  type Locale,
} from '@verity/projections/notifications';
import { EmailDelivery } from '../notifications/email-delivery';
import type { EmailSender } from '../notifications/notification.port';
import { BullTimerAlarm } from './bullmq-timer-alarm';
import { systemClock, type Clock } from './clock';
import { FireTimerExecutor } from './fire-timer.executor';
import { TIMERS_QUEUE, type FireTimerJob } from './timer-job';
import { TimerReconciler, type ReconcileResult } from './timer-reconciler';
import { timerMetrics } from './timers.metrics';

export const RECONCILE_SCHEDULER = 'timers-reconcile';
/**
 * How long the timers' pool keeps an idle connection. Timers fall due in bursts (a cycle's
 * deadlines, the hour's reminders): a pool that closed its connections in the quiet before a burst
 * opens them all again as the burst starts, and its first seconds fire late (bench:timers, ADR 0194).
 */
export const TIMERS_POOL_IDLE_MS = 60_000;

export interface TimersRuntimeOptions {
  pool: Pool;
  /** A connection with `maxRetriesPerRequest: null`; BullMQ duplicates it for its blocking reads. */
  redis: IORedis;
  store: EventStore;
  clock?: Clock;
  /** BullMQ key prefix (default `bull`); tests use their own so no other process takes their jobs. */
  queuePrefix?: string;
  /**
   * Timer jobs held at once (default 128). A held job only waits for its batch (FireTimerExecutor),
   * so this caps the firing rate at about concurrency / a batch's round trip: a slow disk (commits of
   * 60–90 ms) held firing under 1,667/s in bench:timers. 512 lifted that, but then the worker's
   * close did not finish within the 15 s shutdown limit in the e2e test; not yet understood.
   */
  concurrency?: number;
  /** How often the reconcile job runs (BullMQ job scheduler); default one minute. */
  reconcileEveryMs?: number;
  /**
   * Only these tenants' timers are reconciled (default all). Tests share a database with other
   * files, whose pending timers are not theirs to restore or fire.
   */
  tenants?: (tenantId: string) => boolean;
  /** Run the timers and notifications consumers here (the tests may pump them by hand instead). */
  consumers?: boolean;
  consumerBatchSize?: number;
  /** E-mail for notifications; without it only the in-app inbox is written. */
  email?: { sender: EmailSender; locale?: Locale };
  /** Attempts per job and the first backoff delay (doubling), before a job is kept as failed. */
  retry?: { attempts: number; backoffMs: number };
  /**
   * A job that failed because PostgreSQL was away is put back this long (default 2 s) without
   * spending an attempt, however long the outage lasts.
   */
  outageRetryMs?: number;
  /** Lock and stall check of running jobs: how soon a job of a killed worker runs again. */
  stall?: { lockDurationMs: number; stalledIntervalMs: number };
  /** Told about failures that are retried or repaired later (Redis calls, consumer batches). */
  onError?: (error: unknown, where: string) => void;
}

export interface TimersRuntime {
  queue: Queue<FireTimerJob>;
  emailQueue: Queue<EmailJob>;
  timers: TimersRepository;
  alarm: BullTimerAlarm;
  handlers: { timers: ConsumerHandler; notifications: ConsumerHandler };
  runners: ConsumerRunner[];
  reconcile(): Promise<ReconcileResult>;
  /** Makes sure the reconcile job scheduler exists (Redis may have lost it). */
  ensureReconcileScheduler(): Promise<void>;
  /** Stop taking work, finish the jobs in hand, stop the consumers. */
  close(): Promise<void>;
}

const KEEP_FAILED_SECONDS = 14 * 86_400;

/**
 * Reminders, deadlines and escalations: the timers read model (PostgreSQL, the source of truth),
 * BullMQ delayed jobs as the alarm clock, `FireTimer` when one rings, a reconcile job every minute,
 * and notifications (in-app inbox, e-mail). The worker module, the tests and the benchmark start it
 * the same way.
 */
export async function startTimers(options: TimersRuntimeOptions): Promise<TimersRuntime> {
  const clock = options.clock ?? systemClock;
  const prefix = options.queuePrefix ?? 'bull';
  const report = options.onError ?? (() => undefined);
  const retry = options.retry ?? { attempts: 6, backoffMs: 1_000 };
  const reconcileEveryMs = options.reconcileEveryMs ?? 60_000;
  const defaultJobOptions = {
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs },
    // Done timers leave Redis at once (the read model keeps the record); failed ones stay for inspection.
    removeOnComplete: true,
    removeOnFail: { age: KEEP_FAILED_SECONDS },
  };
  const queue = new Queue<FireTimerJob>(TIMERS_QUEUE, {
    connection: options.redis,
    prefix,
    defaultJobOptions,
  });
  const emailQueue = new Queue<EmailJob>(NOTIFICATIONS_QUEUE, {
    connection: options.redis,
    prefix,
    defaultJobOptions,
  });
  queue.on('error', (error) => report(error, 'timers queue'));
  emailQueue.on('error', (error) => report(error, 'notifications queue'));

  const workflows = new WorkflowVersions(options.store);
  const directories = new DirectoryHistory(options.store);
  const timers = new TimersRepository(options.pool);
  const alarm = new BullTimerAlarm(queue, clock, (error) => report(error, 'timer alarm'));
  const reconciler = new TimerReconciler(queue, options.redis, timers, alarm, clock, {
    // Half a round: a timer left out as "just fired" is looked at again by the next round.
    justFiredMs: Math.min(30_000, reconcileEveryMs / 2),
    tenants: options.tenants,
  });
  const executor = new FireTimerExecutor(options.store, workflows, clock);
  const email = options.email
    ? new EmailDelivery(
        options.pool,
        emailQueue,
        directories,
        options.email.sender,
        options.email.locale ?? 'zh-CN',
        (error) => report(error, 'e-mail queue'),
      )
    : undefined;

  const handlers = {
    timers: timersProjection({
      store: options.store,
      workflows,
      alarm,
      onSkipped: (why) => report(new Error(`step without timers: ${why}`), 'timers consumer'),
    }),
    notifications: timerNotificationsProjection({
      store: options.store,
      directories,
      enqueueEmails: email ? (jobs) => email.enqueue(jobs) : undefined,
    }),
  };

  async function reconcile(): Promise<ReconcileResult> {
    const result = await reconciler.reconcile();
    timerMetrics.pending.set(result.pending);
    timerMetrics.reconciled.inc({ action: 'created' }, result.created);
    timerMetrics.reconciled.inc({ action: 'removed' }, result.removed);
    if (email) await email.requeuePending((await timers.tenants()).filter(options.tenants ?? (() => true)));
    return result;
  }

  async function fire(job: Job<FireTimerJob>, token: string | undefined) {
    try {
      const outcome = await executor.fire(job.data);
      timerMetrics.fired.inc({ kind: job.data.kind, outcome: outcome.outcome });
      if (outcome.outcome === 'recorded')
        timerMetrics.lateness.observe(
          { kind: job.data.kind },
          Math.max(0, -clock.msUntil(job.data.fireAt)) / 1000,
        );
      return outcome;
    } catch (error) {
      // A broken rule (an unknown timer level, a missing workflow) will not mend by retrying.
      if (error instanceof DomainError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
      // The attempts (6, about 30 s of back-off) are for failures of the job itself: an outage
      // longer than that would leave the timer failed, and the reconciler leaves failed jobs alone.
      if (dependencyFailure(error) && token) {
        await job.moveToDelayed(Date.now() + (options.outageRetryMs ?? 2_000), token);
        throw new DelayedError();
      }
      throw error;
    }
  }

  const stall = options.stall ?? { lockDurationMs: 30_000, stalledIntervalMs: 30_000 };
  const worker = new Worker<FireTimerJob>(
    TIMERS_QUEUE,
    (job, token) => (job.name === 'reconcile' ? reconcile() : fire(job, token)),
    {
      connection: options.redis,
      prefix,
      concurrency: options.concurrency ?? 128,
      lockDuration: stall.lockDurationMs,
      stalledInterval: stall.stalledIntervalMs,
      maxStalledCount: 2,
    },
  );
  worker.on('error', (error) => report(error, 'timers worker'));
  const emailWorker = email
    ? new Worker<EmailJob>(
        NOTIFICATIONS_QUEUE,
        async (job) => {
          const outcome = await email.send(job.data);
          timerMetrics.notifications.inc({ channel: 'email', outcome });
          return outcome;
        },
        { connection: options.redis, prefix, concurrency: 4 },
      )
    : undefined;
  emailWorker?.on('error', (error) => report(error, 'e-mail worker'));
  emailWorker?.on('failed', () => timerMetrics.notifications.inc({ channel: 'email', outcome: 'failed' }));

  async function ensureReconcileScheduler(): Promise<void> {
    if (await queue.getJobScheduler(RECONCILE_SCHEDULER)) return;
    await queue.upsertJobScheduler(
      RECONCILE_SCHEDULER,
      { every: reconcileEveryMs },
      { name: 'reconcile', opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
    );
  }
  await worker.waitUntilReady();
  await emailWorker?.waitUntilReady();
  await ensureReconcileScheduler();
  // A FLUSHALL also loses the job scheduler: each worker puts it back if it is gone.
  const watchdog = setInterval(
    () => void ensureReconcileScheduler().catch((error) => report(error, 'reconcile scheduler')),
    Math.min(reconcileEveryMs, 60_000),
  );
  const unwatch = [timerMetrics.watch(queue), timerMetrics.watch(emailQueue)];

  const runners =
    options.consumers === false
      ? []
      : [handlers.timers, handlers.notifications].map(
          (handler) =>
            new ConsumerRunner({
              pool: options.pool,
              store: options.store,
              handler,
              batchSize: options.consumerBatchSize ?? 500,
              onError: (error) => report(error, `consumer ${handler.name}`),
            }),
        );
  for (const runner of runners) await runner.start();

  return {
    queue,
    emailQueue,
    timers,
    alarm,
    handlers,
    runners,
    reconcile,
    ensureReconcileScheduler,
    async close() {
      clearInterval(watchdog);
      for (const stop of unwatch) stop();
      await Promise.all(runners.map((runner) => runner.stop()));
      await worker.close();
      await emailWorker?.close();
      await queue.close();
      await emailQueue.close();
      await options.email?.sender.close();
    },
  };
}
