import type { Pool } from 'pg';
import { PostgresEventStore } from '@verity/event-store';
import { createPool } from '@verity/platform';
import { FaultProxy } from '../../../../test/support/fault-proxy';
import { workerDatabaseUrl } from '../../../../test/support/environment';
import { eventually } from '../../../../test/support/eventually';
import { openAppraisal } from '@verity/projections/timers/testing/timer-fixtures';
import { timerOutcomesRecorded } from '../testing/timer-outcomes';
import { timerJobId } from './timer-job';
import { timersOfThisFile } from './testing/timers-of-this-file';

const DAY = 86_400_000;

describe('a timer falling due while PostgreSQL is away', () => {
  // The file's own pool reaches PostgreSQL directly (the test's writes and reads); the runtime's goes
  // through the proxy.
  const file = timersOfThisFile('timers-outage-test-direct', 4);
  let proxy: FaultProxy;
  let proxiedPool: Pool;

  beforeAll(async () => {
    const target = new URL(workerDatabaseUrl());
    proxy = await FaultProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    proxiedPool = createPool(proxy.via(workerDatabaseUrl()), 12, 'timers-outage-test');
  });
  // Before the harness closes the runtime after the file's tests, even when a test failed mid-outage.
  afterEach(() => proxy.heal());
  afterAll(async () => {
    await proxiedPool.end();
    await proxy.stop();
  });

  it('waits for PostgreSQL without spending its attempts, then fires once', async () => {
    // Two quick attempts: an outage spending them would leave the job failed within a second.
    const runtime = await file.start({
      pool: proxiedPool,
      store: new PostgresEventStore(proxiedPool),
      reconcileEveryMs: 600_000,
      retry: { attempts: 2, backoffMs: 50 },
      outageRetryMs: 100,
    });
    const { tenantId, workflow } = await file.tenantTimedBy('outage', { days: 1 });
    await openAppraisal(
      file.store,
      tenantId,
      'ap-1',
      workflow,
      new Date(Date.now() + 3_000 - DAY).toISOString(),
    );
    const jobId = timerJobId(tenantId, 'deadline-ap-1-plan-1-0');
    await eventually(async () => (await runtime.queue.getJob(jobId)) ?? false, 15_000, 'the job set');

    await proxy.outage();
    // The job falls due and meets the outage: it is taken (processedOn) and put back, again and again.
    const firstTry = await eventually(
      async () => (await runtime.queue.getJob(jobId))?.processedOn,
      20_000,
      'the job tried during the outage',
    );
    // Taken again after being put back: with 2 attempts, a job that spent one per try would have
    // failed by now instead of waiting, delayed, with none spent.
    await eventually(
      async () => ((await runtime.queue.getJob(jobId))?.processedOn ?? 0) > firstTry,
      20_000,
      'the job tried again during the outage',
    );
    const waiting = await eventually(
      async () => {
        const job = (await runtime.queue.getJob(jobId))!;
        return (await job.getState()) === 'delayed' && job;
      },
      20_000,
      'the job put back to wait',
    );
    expect(waiting.attemptsMade).toBe(0);

    await proxy.heal();
    const fired = await timerOutcomesRecorded(file.store, tenantId, 20_000, 'the deadline recorded');
    expect(fired.map((event) => event.type)).toEqual(['DeadlineMissed']);
  });
});
