import { randomUUID } from 'node:crypto';
import type IORedis from 'ioredis';
import type { Pool } from 'pg';
import { PostgresEventStore, type EventStore } from '@verity/event-store';
import { createPool, createRedis } from '@verity/platform';
import { FaultProxy } from '../../../../test/support/fault-proxy';
import { workerDatabaseUrl, workerRedisUrl } from '../../../../test/support/environment';
import { eventually } from '../../../../test/support/eventually';
import {
  newTenant,
  openAppraisal,
  publishWorkflow,
  workflowWithPlan,
} from '@verity/projections/timers/testing/timer-fixtures';
import { timerOutcomesRecorded } from '../testing/timer-outcomes';
import { timerJobId } from './timer-job';
import { startScopedTimers } from './testing/tenant-scoped-consumers';
import type { TimersRuntime } from './timers.runtime';

const DAY = 86_400_000;
const queuePrefix = `test-${randomUUID().slice(0, 8)}`;
const scope = `o${randomUUID().slice(0, 8)}`;

describe('a timer falling due while PostgreSQL is away', () => {
  let proxy: FaultProxy;
  let proxiedPool: Pool;
  let directPool: Pool;
  let redis: IORedis;
  let direct: EventStore;
  let runtime: TimersRuntime | undefined;

  beforeAll(async () => {
    const target = new URL(workerDatabaseUrl());
    proxy = await FaultProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    proxiedPool = createPool(proxy.via(workerDatabaseUrl()), 12, 'timers-outage-test');
    directPool = createPool(workerDatabaseUrl(), 4, 'timers-outage-test-direct');
    redis = createRedis(workerRedisUrl());
    direct = new PostgresEventStore(directPool);
  });
  afterAll(async () => {
    await proxy.heal();
    await runtime?.close();
    await redis.quit();
    await proxiedPool.end();
    await directPool.end();
    await proxy.stop();
  });

  it('waits for PostgreSQL without spending its attempts, then fires once', async () => {
    // Two quick attempts: an outage spending them would leave the job failed within a second.
    runtime = await startScopedTimers(
      {
        pool: proxiedPool,
        redis,
        store: new PostgresEventStore(proxiedPool),
        queuePrefix,
        reconcileEveryMs: 600_000,
        retry: { attempts: 2, backoffMs: 50 },
        outageRetryMs: 100,
      },
      scope,
    );
    const tenantId = newTenant(`${scope}-outage`);
    const workflow = await publishWorkflow(direct, tenantId, 'sales', workflowWithPlan({ days: 1 }));
    await openAppraisal(direct, tenantId, 'ap-1', workflow, new Date(Date.now() + 3_000 - DAY).toISOString());
    const jobId = timerJobId(tenantId, 'deadline-ap-1-plan-1-0');
    await eventually(async () => (await runtime!.queue.getJob(jobId)) ?? false, 15_000, 'the job set');

    await proxy.outage();
    // The job falls due and meets the outage: it is taken (processedOn) and put back, again and again.
    const firstTry = await eventually(
      async () => (await runtime!.queue.getJob(jobId))?.processedOn,
      20_000,
      'the job tried during the outage',
    );
    // Taken again after being put back: with 2 attempts, a job that spent one per try would have
    // failed by now instead of waiting, delayed, with none spent.
    await eventually(
      async () => ((await runtime!.queue.getJob(jobId))?.processedOn ?? 0) > firstTry,
      20_000,
      'the job tried again during the outage',
    );
    const waiting = await eventually(
      async () => {
        const job = (await runtime!.queue.getJob(jobId))!;
        return (await job.getState()) === 'delayed' && job;
      },
      20_000,
      'the job put back to wait',
    );
    expect(waiting.attemptsMade).toBe(0);

    await proxy.heal();
    const fired = await timerOutcomesRecorded(direct, tenantId, 20_000, 'the deadline recorded');
    expect(fired.map((event) => event.type)).toEqual(['DeadlineMissed']);
  });
});
