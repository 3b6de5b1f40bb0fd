import { Queue } from 'bullmq';
import { eventually } from '../../../../test/support/eventually';
import { openAppraisal, submitPlan, timerOutcomes } from '@verity/projections/timers/testing/timer-fixtures';
import { BullTimerAlarm } from './bullmq-timer-alarm';
import { TIMERS_QUEUE, timerJobId, type FireTimerJob } from './timer-job';
import { TimerReconciler } from './timer-reconciler';
import { manualClock, type Clock } from './clock';
import { timersOfThisFile } from './testing/timers-of-this-file';
import { type TimersRuntime, type TimersRuntimeOptions, RECONCILE_SCHEDULER } from './timers.runtime';

const T0 = '2026-03-02T09:00:00.000Z';
const DAY = 86_400_000;
const TIMERS = 300;
const fail = (error: unknown) => {
  throw error;
};
const virtual = (days: number) => new Date(Date.parse(T0) + days * DAY).toISOString();

// The timers here are due a day after T0 on a clock that does not move by itself: no job fires until
// the test promotes it, so neither a slow machine nor a scheduled reconcile decides what a test sees.
describe('timer reconciliation (Redis loses everything)', () => {
  const file = timersOfThisFile('timers-reconcile-test', 12);
  let runtime: TimersRuntime | undefined;
  /** A queue of the same name without a worker: jobs the reconciler sets there never fire. */
  let idle: Queue<FireTimerJob>;

  beforeAll(() => {
    idle = new Queue<FireTimerJob>(TIMERS_QUEUE, {
      connection: file.redis,
      prefix: `${file.queuePrefix}-idle`,
    });
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });
  /** A reconciler of the runtime's timers of `tenantId` alone that sets their jobs on the idle queue, on `clock`. */
  const idleReconciler = (
    clock: Clock,
    tenantId: string,
    options: { staleAfterMs?: number; justFiredMs?: number },
  ) =>
    new TimerReconciler(idle, file.redis, runtime!.timers, new BullTimerAlarm(idle, clock, fail), clock, {
      ...options,
      tenants: (tenant) => tenant === tenantId,
    });
  afterAll(() => idle.close());

  const start = (options: Partial<TimersRuntimeOptions> = {}) =>
    // A day between scheduled reconciles: the test calls `reconcile()` when it wants one.
    file.start({ clock: manualClock(T0), reconcileEveryMs: DAY, ...options });
  /** A tenant of the file whose plan step is due `days` after it opens, and its appraisal ap-1 opened at T0. */
  const tenantWithAp1 = async (name: string, days: number) => {
    const { tenantId, workflow } = await file.tenantTimedBy(name, { days });
    await openAppraisal(file.store, tenantId, 'ap-1', workflow, T0);
    return tenantId;
  };
  const delayedTimerJobs = async (queue: Queue<FireTimerJob>) =>
    new Set((await queue.getRanges(['delayed'], 0, -1)).filter((id) => id.startsWith('tmr-')));

  it('restores every pending timer after FLUSHDB, and each then fires once', async () => {
    const clock = manualClock(T0);
    runtime = await start({ clock });
    const { tenantId, workflow } = await file.tenantTimedBy('flush', { days: 1 });
    await Promise.all(
      Array.from({ length: TIMERS }, (_, n) =>
        openAppraisal(file.store, tenantId, `ap-${n}`, workflow, new Date(Date.parse(T0) + n).toISOString()),
      ),
    );
    const expected = Array.from({ length: TIMERS }, (_, n) =>
      timerJobId(tenantId, `deadline-ap-${n}-plan-1-0`),
    );
    const allSet = async () => {
      const present = await delayedTimerJobs(runtime!.queue);
      return expected.every((id) => present.has(id));
    };
    await eventually(allSet, 60_000, 'the jobs set by the timers consumer');
    // The consumer sets jobs inside its batch's transaction: the read model counts them all pending
    // only once the batches have committed.
    await Promise.all(runtime.runners.map((runner) => runner.caughtUp()));
    // No reconcile in flight (the scheduler's first one may run at start): none can refill Redis below.
    await eventually(async () => (await runtime!.queue.getActiveCount()) === 0, 30_000, 'an idle worker');

    // This worker's own logical database only: other test workers use theirs.
    await file.redis.flushdb();
    const present = await delayedTimerJobs(runtime.queue);
    expect(expected.filter((id) => present.has(id))).toEqual([]);

    const result = await runtime.reconcile();
    expect(result).toMatchObject({ pending: TIMERS, created: TIMERS, removed: 0 });
    expect(await allSet()).toBe(true);

    // A day later on the worker's clock, the delayed jobs are moved to the front: each fires once.
    clock.advance(DAY + TIMERS);
    await runtime.queue.promoteJobs();
    await eventually(
      async () => (await timerOutcomes(file.store, tenantId)).length >= TIMERS,
      120_000,
      'all fired',
    );
    const outcomes = await timerOutcomes(file.store, tenantId);
    expect(new Set(outcomes.map((event) => (event.data as { timerKey: string }).timerKey)).size).toBe(TIMERS);
    expect(outcomes).toHaveLength(TIMERS);
    // Fired and marked: a further reconcile restores nothing.
    await eventually(
      async () => (await runtime!.timers.pendingPage(tenantId, null, 10)).length === 0,
      60_000,
      'the timers marked fired',
    );
    expect(await runtime.reconcile()).toMatchObject({ created: 0 });
  });

  it('puts the reconcile scheduler back after FLUSHDB', async () => {
    runtime = await start({ reconcileEveryMs: 1_000 }); // the watchdog looks every second
    expect(await runtime.queue.getJobScheduler(RECONCILE_SCHEDULER)).toBeTruthy();
    await file.redis.flushdb();
    await eventually(
      () => runtime!.queue.getJobScheduler(RECONCILE_SCHEDULER),
      30_000,
      'the reconcile scheduler restored',
    );
  });

  it('removes the job of a timer cancelled while Redis missed the news, and leaves pending ones', async () => {
    runtime = await start();
    const { tenantId, workflow } = await file.tenantTimedBy('stale', { days: 30 });
    await openAppraisal(file.store, tenantId, 'ap-1', workflow, T0);
    await openAppraisal(file.store, tenantId, 'ap-2', workflow, T0);
    // A third open appraisal: with ap-2's deadline and ap-1's next step, this tenant holds more
    // pending timers than one page of two.
    await openAppraisal(file.store, tenantId, 'ap-3', workflow, T0);
    const done = timerJobId(tenantId, 'deadline-ap-1-plan-1-0');
    const open = timerJobId(tenantId, 'deadline-ap-2-plan-1-0');
    const third = timerJobId(tenantId, 'deadline-ap-3-plan-1-0');
    await eventually(
      async () =>
        (await runtime!.queue.getJob(done)) &&
        (await runtime!.queue.getJob(open)) &&
        (await runtime!.queue.getJob(third)),
      30_000,
      'jobs',
    );
    const job = (await runtime.queue.getJob(done))!;

    await submitPlan(file.store, tenantId, 'ap-1', workflow, virtual(0.1));
    // The job is cleared inside the timers consumer's batch: the read model says `done` only once
    // that batch commits, and until then the reconciler rightly keeps the job of a pending timer.
    await eventually(
      async () =>
        !(await runtime!.queue.getJob(done)) &&
        (await runtime!.timers.statuses(tenantId, ['deadline-ap-1-plan-1-0'])).get(
          'deadline-ap-1-plan-1-0',
        ) !== 'pending',
      30_000,
      'the job cleared on completion and the timer settled',
    );
    // The consumers set and clear jobs as they apply the log: let them finish, so what the test does
    // to the queue below is not undone by a batch still on its way.
    await Promise.all(runtime.runners.map((runner) => runner.caughtUp()));
    // So must a scheduled reconcile: the scheduler made by an earlier test may have one waiting,
    // which would restore the job removed below before this test's own reconcile looks.
    await eventually(
      async () =>
        (await runtime!.queue.getJobs(['wait', 'active', 'prioritized'])).every(
          (job) => job.name !== 'reconcile',
        ),
      30_000,
      'no scheduled reconcile running',
    );
    // As if the clearing had been lost (Redis away at that moment): the job is back.
    await runtime.queue.add('fire', job.data, { jobId: done, delay: 30 * DAY });

    // Staleness is judged only for jobs older than a transaction could be open; none here.
    const reconciler = new TimerReconciler(
      runtime.queue,
      file.redis,
      runtime.timers,
      runtime.alarm,
      manualClock(T0),
      {
        staleAfterMs: 0,
        pageSize: 2,
        tenants: (tenant) => tenant === tenantId,
      },
    );
    // A round pages the queue by index, and jobs leaving it meanwhile (other timers firing) may make
    // it skip one until the next round: give it three, and count what they removed.
    let removed = 0;
    for (let round = 0; round < 3 && (await runtime.queue.getJob(done)); round++)
      removed += (await reconciler.reconcile()).removed;
    expect(removed).toBe(1);
    expect(await runtime.queue.getJob(done)).toBeUndefined();
    expect(await (await runtime.queue.getJob(open))!.getState()).toBe('delayed');

    // Walking the pending timers two at a time, a lost job of a pending timer comes back.
    await runtime.queue.remove(open);
    const walked = await reconciler.reconcile();
    const pending = (await runtime.timers.pendingPage(tenantId, null, 100)).length;
    expect(pending).toBeGreaterThanOrEqual(3);
    expect(walked).toMatchObject({ pending, created: 1, removed: 0 });
    expect(await (await runtime.queue.getJob(open))!.getState()).toBe('delayed');
  });

  it('restores and removes only the jobs of the tenants it is given', async () => {
    runtime = await start();
    const mine = await tenantWithAp1('mine', 30);
    const theirs = await tenantWithAp1('theirs', 30);
    const pendingOf = async (tenantId: string) =>
      (await runtime!.timers.pendingPage(tenantId, null, 100)).length;
    await eventually(
      async () => (await pendingOf(mine)) > 0 && (await pendingOf(theirs)) > 0,
      30_000,
      'both tenants’ timers',
    );
    // On a queue of its own, every pending timer's job is missing, and a job of a timer of the other
    // tenant that does not exist (stale, by any measure) is set.
    const staleJobId = timerJobId(theirs, 'deadline-ap-9-plan-1-0');
    await idle.add(
      'fire',
      {
        tenantId: theirs,
        timerKey: 'deadline-ap-9-plan-1-0',
        appraisalId: 'ap-9',
        stepKey: 'plan',
        occurrence: 1,
        kind: 'deadline',
        level: 0,
        fireAt: T0,
      },
      { jobId: staleJobId, delay: DAY },
    );
    const clock = manualClock(T0);
    const reconciler = idleReconciler(clock, mine, { staleAfterMs: 0 });
    const result = await reconciler.reconcile();
    expect(result).toEqual({ pending: await pendingOf(mine), created: await pendingOf(mine), removed: 0 });
    const jobs = await idle.getRanges(['delayed', 'wait'], 0, -1);
    expect(jobs.filter((id) => id !== staleJobId).every((id) => id.startsWith(timerJobId(mine, '')))).toBe(
      true,
    );
    expect(jobs).toContain(staleJobId);
  });

  it('reads due times on the worker’s clock: a timer due a moment ago on it is left to the next round', async () => {
    runtime = await start();
    // Due a day after T0; the clock below reads 10 s past that. Real time (months later) is far from both.
    const tenantId = await tenantWithAp1('clock', 1);
    const jobId = timerJobId(tenantId, 'deadline-ap-1-plan-1-0');
    await eventually(
      async () =>
        (await runtime!.timers.pendingPage(tenantId, null, 10)).some(
          (t) => t.timerKey === 'deadline-ap-1-plan-1-0',
        ),
      30_000,
      'the timer recorded',
    );
    const [timer] = await runtime.timers.pendingPage(tenantId, null, 10);
    const clock = manualClock(timer.fireAt);
    clock.advance(10_000);
    const reconciler = idleReconciler(clock, tenantId, { justFiredMs: 30_000 });
    // Just fired, as far as the worker's clock knows: its job is gone and the consumer has not marked it yet.
    expect(await reconciler.reconcile()).toMatchObject({ created: 0 });
    expect(await idle.getJob(jobId)).toBeUndefined();

    clock.advance(30_000);
    // Now overdue by more than a round: lost, so it is restored (to fire at once).
    expect(await reconciler.reconcile()).toMatchObject({ created: 1 });
    expect(await idle.getJob(jobId)).toBeDefined();
  });

  it('keeps a job that cannot succeed as failed, for inspection, and the reconciler leaves it', async () => {
    runtime = await start();
    const tenantId = await tenantWithAp1('failed', 30);
    const timerKey = 'escalation-ap-1-plan-1-9'; // the workflow has no level 9
    const jobId = timerJobId(tenantId, timerKey);
    const added = await runtime.queue.add(
      'fire',
      {
        tenantId,
        timerKey,
        appraisalId: 'ap-1',
        stepKey: 'plan',
        occurrence: 1,
        kind: 'escalation',
        level: 9,
        fireAt: T0,
      },
      { jobId },
    );
    expect(added.opts).toMatchObject({ attempts: 6, backoff: { type: 'exponential', delay: 1_000 } });
    await eventually(
      async () => (await (await runtime!.queue.getJob(jobId))?.getState()) === 'failed',
      60_000,
      'the job failed',
    );
    // Read once it is failed: a job read before it failed and checked after would show no attempt.
    const failed = (await runtime.queue.getJob(jobId))!;
    // A broken rule is not retried: one attempt, the reason kept with the job.
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toContain('timer-unknown');
    await runtime.reconcile();
    expect(await (await runtime.queue.getJob(jobId))!.getState()).toBe('failed');
    expect(await timerOutcomes(file.store, tenantId)).toEqual([]);
  });
});
