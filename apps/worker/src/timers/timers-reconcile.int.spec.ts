import { randomUUID } from 'node:crypto';
import type IORedis from 'ioredis';
import type { Pool } from 'pg';
import { PostgresEventStore, type EventStore } from '@verity/event-store';
import { createPool, createRedis } from '@verity/platform';
import { workerDatabaseUrl, workerRedisUrl } from '../../../../test/support/environment';
import {
  eventually,
  newTenant,
  openAppraisal,
  publishWorkflow,
  submitPlan,
  timerOutcomes,
  workflowWithPlan,
} from '@verity/projections/timers/testing/timer-fixtures';
import { timerJobId } from './timer-job';
import { TimerReconciler } from './timer-reconciler';
import { startScopedTimers } from './testing/tenant-scoped-consumers';
import { type TimersRuntime, RECONCILE_SCHEDULER } from './timers.runtime';

const DAY = 86_400_000;
const TIMERS = 300;
const queuePrefix = `test-${randomUUID().slice(0, 8)}`;
// This file's tenants start with it: its consumers leave other files' appraisals alone.
const scope = `s${randomUUID().slice(0, 8)}`;

describe('timer reconciliation (Redis loses everything)', () => {
  let pool: Pool;
  let redis: IORedis;
  let store: EventStore;
  let runtime: TimersRuntime | undefined;

  beforeAll(() => {
    pool = createPool(workerDatabaseUrl(), 12, 'timers-reconcile-test');
    redis = createRedis(workerRedisUrl());
    store = new PostgresEventStore(pool);
  });
  afterAll(async () => {
    await runtime?.close();
    await redis.quit();
    await pool.end();
  });

  const delayedTimerJobs = async () =>
    (await runtime!.queue.getRanges(['delayed'], 0, -1)).filter((id) => id.startsWith('tmr-'));

  it('restores every pending timer after FLUSHDB, and each then fires once', async () => {
    runtime = await startScopedTimers({ pool, redis, store, queuePrefix, reconcileEveryMs: 1_000 }, scope);
    const tenantId = newTenant(`${scope}-flush`);
    const workflow = await publishWorkflow(store, tenantId, 'sales', workflowWithPlan({ days: 1 }));
    const base = Date.now() + 6_000 - DAY; // due 6 to 7 s from now
    await Promise.all(
      Array.from({ length: TIMERS }, (_, n) =>
        openAppraisal(store, tenantId, `ap-${n}`, workflow, new Date(base + n * 3).toISOString()),
      ),
    );
    const expected = Array.from({ length: TIMERS }, (_, n) =>
      timerJobId(tenantId, `deadline-ap-${n}-plan-1-0`),
    );
    const allSet = async () => {
      const present = new Set(await delayedTimerJobs());
      return expected.every((id) => present.has(id)) && present;
    };
    await eventually(allSet, 15_000, 'the jobs set');

    // This worker's own logical database only: other test workers use theirs.
    await redis.flushdb();
    const present = new Set(await delayedTimerJobs());
    expect(expected.filter((id) => present.has(id))).toEqual([]);

    const restored = await eventually(allSet, 15_000, 'the reconciler restoring the jobs');
    expect(restored.size).toBeGreaterThanOrEqual(TIMERS);
    // The scheduler comes back with the watchdog's next tick (a reconcile that was running at the
    // FLUSHDB may have restored the jobs before it).
    await eventually(
      async () => runtime!.queue.getJobScheduler(RECONCILE_SCHEDULER),
      5_000,
      'the reconcile scheduler restored',
    );

    await eventually(
      async () => (await timerOutcomes(store, tenantId)).length >= TIMERS,
      // Generous: under a full parallel test run the machine's two cores are shared.
      35_000,
      'all fired',
    );
    const outcomes = await timerOutcomes(store, tenantId);
    expect(new Set(outcomes.map((event) => (event.data as { timerKey: string }).timerKey)).size).toBe(TIMERS);
    expect(outcomes).toHaveLength(TIMERS);
  }, 90_000);

  it('removes the job of a timer cancelled while Redis missed the news, and leaves pending ones', async () => {
    runtime ??= await startScopedTimers({ pool, redis, store, queuePrefix, reconcileEveryMs: 1_000 }, scope);
    const tenantId = newTenant(`${scope}-stale`);
    const workflow = await publishWorkflow(store, tenantId, 'sales', workflowWithPlan({ days: 30 }));
    const now = new Date().toISOString();
    await openAppraisal(store, tenantId, 'ap-1', workflow, now);
    await openAppraisal(store, tenantId, 'ap-2', workflow, now);
    // A third open appraisal: with ap-2's deadline and ap-1's next step, this tenant alone holds
    // more pending timers than one page of two (the database may hold none of other files').
    await openAppraisal(store, tenantId, 'ap-3', workflow, now);
    const done = timerJobId(tenantId, 'deadline-ap-1-plan-1-0');
    const open = timerJobId(tenantId, 'deadline-ap-2-plan-1-0');
    const third = timerJobId(tenantId, 'deadline-ap-3-plan-1-0');
    await eventually(
      async () =>
        (await runtime!.queue.getJob(done)) &&
        (await runtime!.queue.getJob(open)) &&
        (await runtime!.queue.getJob(third)),
      5_000,
      'jobs',
    );
    const job = (await runtime.queue.getJob(done))!;

    await submitPlan(store, tenantId, 'ap-1', workflow, new Date().toISOString());
    await eventually(
      async () => !(await runtime!.queue.getJob(done)),
      5_000,
      'the job cleared on completion',
    );
    // As if the clearing had been lost (Redis away at that moment): the job is back.
    await runtime.queue.add('fire', job.data, { jobId: done, delay: 30 * DAY });

    // Staleness is judged only for jobs older than a transaction could be open; none here.
    const reconciler = new TimerReconciler(runtime.queue, redis, runtime.timers, runtime.alarm, {
      staleAfterMs: 0,
      pageSize: 2,
    });
    const result = await reconciler.reconcile();
    // The runtime's own reconcile job (every second) may have removed it first.
    expect(result.removed >= 1 || (await runtime.queue.getJob(done)) === undefined).toBe(true);
    expect(await runtime.queue.getJob(done)).toBeUndefined();
    expect(await (await runtime.queue.getJob(open))!.getState()).toBe('delayed');

    // Walking the pending timers two at a time, a lost job of a pending timer comes back.
    await runtime.queue.remove(open);
    const walked = await reconciler.reconcile();
    const pending = await runtime.timers.pendingCount();
    expect(pending).toBeGreaterThanOrEqual(3);
    expect(walked.pending).toBe(pending);
    expect(await (await runtime.queue.getJob(open))!.getState()).toBe('delayed');
  });

  it('keeps a job that cannot succeed as failed, for inspection, and the reconciler leaves it', async () => {
    runtime ??= await startScopedTimers({ pool, redis, store, queuePrefix, reconcileEveryMs: 1_000 }, scope);
    const tenantId = newTenant(`${scope}-failed`);
    const workflow = await publishWorkflow(store, tenantId, 'sales', workflowWithPlan({ days: 30 }));
    await openAppraisal(store, tenantId, 'ap-1', workflow, new Date().toISOString());
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
        fireAt: new Date().toISOString(),
      },
      { jobId },
    );
    expect(added.opts).toMatchObject({ attempts: 6, backoff: { type: 'exponential', delay: 1_000 } });
    const failed = await eventually(
      async () => {
        const job = await runtime!.queue.getJob(jobId);
        return job && (await job.getState()) === 'failed' && job;
      },
      15_000,
      'the job failed',
    );
    // A broken rule is not retried: one attempt, the reason kept with the job.
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toContain('timer-unknown');
    await runtime.reconcile();
    expect(await (await runtime.queue.getJob(jobId))!.getState()).toBe('failed');
    expect(await timerOutcomes(store, tenantId)).toEqual([]);
  });
});
