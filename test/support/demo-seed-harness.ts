import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import { createPool, createRedis, localSigning, type Config } from '@verity/platform';
import { ConsumerRunner, PostgresEventStore } from '@verity/event-store';
import { inboxProjection } from '@verity/projections';
import { WorkflowVersions } from '@verity/projections/timers';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import { ProcessCommandSender } from '../../apps/worker/src/process-managers/process-command.sender';
import { processManagersConsumer } from '../../apps/worker/src/process-managers/process-managers.consumer';
import { manualClock, systemClock } from '../../apps/worker/src/timers/clock';
import { startScopedTimers } from '../../apps/worker/src/timers/testing/tenant-scoped-consumers';
import { bearer, startTestApi } from '../../apps/api/src/testing/api-test-kit';
import { seedDemo, type SeedResult } from '../../infra/scripts/seed-demo';
import { workerDatabaseUrl, workerRedisUrl } from './environment';

/** What an appraisal's story leaves in its state, as the seed's tests compare it. */
interface StoryState {
  status: string;
  plan: { status: string; version: number; targets: unknown };
  periods: Record<string, { periodId: string; status: string; actuals: unknown; result: unknown }>;
  vetoes: Record<string, string>;
  improvements: Record<string, { periodId: string; indicatorId: string; status: string }>;
  redLines: Record<string, { redLineId: string; status: string }>;
}

/** An event as an appraisal's event log answers it, with what the seed's tests read of it. */
export interface AppraisalEvent {
  type: string;
  at: string;
  correlationId: string;
  data: { stepKey?: string; level?: number; to?: string };
}

export interface DemoSeedHarness {
  baseUrl: string;
  config: Config;
  /** Runs the demo seed for `tenant` against the API, as `npm run seed:demo` does. */
  seed: (tenant: string, signal?: AbortSignal) => Promise<SeedResult>;
  /** The test's own connection to the file's database. */
  pool: Pool;
  /** The worker's process managers' connection (the timers the tests start use it too). */
  managersPool: Pool;
  /** The inbox read model (the worker's consumer), pumped over the demo tenant when a test reads it. */
  inbox: ConsumerPump;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON as the API sent it
  get: (path: string, token: string) => Promise<{ status: number; body: any }>;
  /** A command as JSON, answered as the API sent it. */
  post: (path: string, token: string, body: unknown) => Promise<Response>;
  /** The appraisal's events in log order (its first 500). */
  eventsOf: (appraisalId: string, token: string) => Promise<AppraisalEvent[]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON as the API sent it
  inboxItem: (token: string, stepKey: string, subjectEmployeeId: string) => Promise<any>;
  /** How many events the tenant has. */
  tenantEvents: (tenant: string) => Promise<number>;
  /** Milliseconds from the cycle's opening event to the last appraisal the worker opened (a figure, never asserted). */
  openingSpan: (tenant: string) => Promise<number>;
  /** What each appraisal's story of the cycle left, without the ids the domain chose. */
  storiesOf: (
    tenant: string,
    hr: string,
    cycleId: string,
  ) => Promise<{ tenant: string; stories: Record<string, unknown> }>;
  /** Each appraisal of the cycle, by its appraisee's employee id. */
  appraisalsOf: (cycleId: string, hr: string) => Promise<Map<string, string>>;
  /** Each appraisal's state in the cycle, by its appraisee's employee id. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON as the API sent it
  statesOf: (cycleId: string, hr: string) => Promise<Map<string, any>>;
  /** Each appraisee's filed sales volume summed over the cycle's months, as a sum by hand. */
  filedSalesVolumes: (cycleId: string, hr: string) => Promise<Map<string, number>>;
  /**
   * The worker's timers over the demo tenant only, on a clock that the test never moves (ADR 0130):
   * a step's timers come from its StepOpened, as `npm start`'s worker takes them.
   */
  startTimers: () => Promise<DemoTimers>;
  stop: () => Promise<void>;
}

export interface DemoTimers {
  timers: Awaited<ReturnType<typeof startScopedTimers>>['timers'];
  /** What the timers reported as failing. */
  errors: string[];
  close: () => Promise<void>;
}

/** A token the seed printed for `role`. */
export const tokenOf = (result: SeedResult, role: string) =>
  result.tokens.find((row) => row.role === role)!.token;

/**
 * What the demo seed runs against in its tests: the real API over HTTP on the file's database, and
 * the worker's process managers (they open the cycle's appraisals and score assessed months) over
 * `tenants` only.
 */
export async function startDemoSeedHarness(tenants: string[]): Promise<DemoSeedHarness> {
  const { app, config }: { app: INestApplication; config: Config } = await startTestApi();
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const pool = createPool(workerDatabaseUrl(), 2);
  const managersPool = createPool(workerDatabaseUrl(), 4);
  const store = new PostgresEventStore(managersPool);
  const handler = processManagersConsumer(
    new ProcessCommandSender(store, new WorkflowVersions(store), systemClock),
  );
  const managers = new ConsumerRunner({
    pool: managersPool,
    store,
    handler: {
      name: `${handler.name}-seed-demo-test`,
      eventTypes: handler.eventTypes,
      handle: (events, tx) =>
        handler.handle(
          events.filter((event) => tenants.includes(event.metadata.tenantId)),
          tx,
        ),
    },
  });
  await managers.start();
  const inbox = new ConsumerPump(pool, new PostgresEventStore(pool), inboxProjection, ['demo']);

  const get = async (path: string, token: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: bearer(token) });
    return { status: response.status, body: await response.json() };
  };
  const appraisalsOf = async (cycleId: string, hr: string) => {
    const cycle = await get(`/cycles/${cycleId}`, hr);
    const entries: { appraisalId: string; subject: { employeeId: string } }[] = cycle.body.opened.appraisals;
    return new Map(entries.map((entry) => [entry.subject.employeeId, entry.appraisalId]));
  };
  const statesOf = async (cycleId: string, hr: string) => {
    const states = new Map<string, StoryState>();
    for (const [employeeId, appraisalId] of await appraisalsOf(cycleId, hr))
      states.set(employeeId, (await get(`/appraisals/${appraisalId}`, hr)).body.state);
    return states;
  };
  return {
    baseUrl,
    config,
    seed: (tenant, signal) => seedDemo({ baseUrl, signing: localSigning(config), tenant, signal }),
    pool,
    managersPool,
    inbox,
    get,
    post: (path, token, body) =>
      fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { ...bearer(token), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    eventsOf: async (appraisalId, token) =>
      (await get(`/appraisals/${appraisalId}/events?limit=500`, token)).body.items,
    inboxItem: async (token, stepKey, subjectEmployeeId) =>
      (await get('/inbox?limit=50', token)).body.items.find(
        (item: { stepKey: string; subjectEmployeeId: string }) =>
          item.stepKey === stepKey && item.subjectEmployeeId === subjectEmployeeId,
      ),
    tenantEvents: async (tenant) =>
      Number((await pool.query('SELECT count(*) AS n FROM events WHERE tenant_id = $1', [tenant])).rows[0].n),
    openingSpan: async (tenant) =>
      Number(
        (
          await pool.query(
            `SELECT round(extract(epoch FROM max(recorded_at) FILTER (WHERE type = 'AppraisalOpened')
                   - min(recorded_at) FILTER (WHERE type = 'CycleOpened')) * 1000) AS ms
               FROM events WHERE tenant_id = $1`,
            [tenant],
          )
        ).rows[0].ms,
      ),
    storiesOf: async (tenant, hr, cycleId) => {
      const cycle = await get(`/cycles/${cycleId}`, hr);
      const stories: Record<string, unknown> = {};
      for (const entry of cycle.body.opened.appraisals) {
        const state: StoryState = (await get(`/appraisals/${entry.appraisalId}`, hr)).body.state;
        stories[entry.subject.employeeId] = {
          status: state.status,
          plan: [state.plan.status, state.plan.version, state.plan.targets],
          periods: Object.values(state.periods).map((p) => [p.periodId, p.status, p.actuals, p.result]),
          vetoes: state.vetoes,
          improvements: Object.values(state.improvements)
            .map((i) => `${i.periodId}/${i.indicatorId}/${i.status}`)
            .sort(),
          redLines: Object.values(state.redLines).map((r) => [r.redLineId, r.status]),
        };
      }
      return { tenant, stories };
    },
    appraisalsOf,
    statesOf,
    filedSalesVolumes: async (cycleId, hr) => {
      const filed = new Map<string, number>();
      for (const [employeeId, state] of await statesOf(cycleId, hr)) {
        const periods = Object.values(state.periods) as { actuals: { sales_volume?: string } }[];
        filed.set(
          employeeId,
          periods.reduce((sum, period) => sum + Number(period.actuals.sales_volume ?? 0), 0),
        );
      }
      return filed;
    },
    startTimers: async () => {
      const redis = createRedis(workerRedisUrl());
      const errors: string[] = [];
      const scoped = await startScopedTimers(
        {
          pool: managersPool,
          redis,
          store: new PostgresEventStore(managersPool),
          clock: manualClock(new Date().toISOString()),
          queuePrefix: `seed-demo-${randomUUID().slice(0, 8)}`,
          onError: (error, where) => errors.push(`${where}: ${String(error)}`),
        },
        'demo',
      );
      return {
        timers: scoped.timers,
        errors,
        close: async () => {
          await scoped.close();
          await redis.quit();
        },
      };
    },
    stop: async () => {
      await managers.stop();
      await managersPool.end();
      await pool.end();
      await app.close();
    },
  };
}
