import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { AGGREGATES, type AppraisalEvent } from '@verity/domain';
import {
  comparePositions,
  PostgresEventStore,
  START,
  streamName,
  type EventStore,
} from '@verity/event-store';
import { createPool, inTenantTransaction, inTransaction } from '@verity/platform';
import { workerDatabaseUrl } from '../../../../test/support/environment';
import {
  migrateAppraisal,
  newTenant,
  openAppraisal,
  publishWorkflow,
  returnPlan,
  submitPlan,
  workflowWithPlan,
} from './testing/timer-fixtures';
import { timersProjection, type DueTimer, type TimerAlarm } from './timers.projection';
import { TimersRepository, timerTablesWithoutForcedRls } from './timers.repository';
import { WorkflowVersions } from './workflow-versions';

/** What the projection asked the alarm clock to do (the port; the BullMQ side is tested in the worker). */
class RecordingAlarm {
  readonly set: DueTimer['timerKey'][] = [];
  readonly cleared: string[] = [];
  async setTimers(timers: DueTimer[]) {
    this.set.push(...timers.map((timer) => timer.timerKey));
  }
  asPort(): TimerAlarm {
    return {
      set: (timers) => this.setTimers(timers),
      clear: async (timers) => void this.cleared.push(...timers.map((timer) => timer.timerKey)),
    };
  }
}

describe('timers read model', () => {
  let pool: Pool;
  let store: EventStore;
  let timers: TimersRepository;
  let alarm: RecordingAlarm;
  let position = START;

  beforeAll(() => {
    pool = createPool(workerDatabaseUrl(), 4, 'timers-projection-test');
    store = new PostgresEventStore(pool);
    timers = new TimersRepository(pool);
  });
  afterAll(() => pool.end());

  /** Feeds everything committed so far to the handler, batch by batch, as the ConsumerRunner does. */
  async function drain(planner: { hashJoins?: boolean } = {}) {
    const handler = timersProjection({
      store,
      workflows: new WorkflowVersions(store),
      alarm: alarm.asPort(),
    });
    const head = await store.headPosition();
    // The log is read below the server's oldest running transaction: wait until it reaches the head.
    while (comparePositions(position, head) < 0) {
      const { events, next } = await store.readAll({ after: position, maxCount: 500 });
      if (events.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      const wanted = events.filter((event) => handler.eventTypes!.includes(event.type));
      await inTransaction(pool, async (tx) => {
        // Whichever join PostgreSQL picks for the batch's statements must give the same rows.
        if (planner.hashJoins)
          await tx.query('SET LOCAL enable_nestloop = off; SET LOCAL enable_mergejoin = off');
        await handler.handle(wanted, tx);
      });
      position = next;
    }
  }
  beforeEach(() => {
    alarm = new RecordingAlarm();
  });

  it('has FORCE row-level security on every timers and notifications table', async () => {
    expect(await timerTablesWithoutForcedRls(pool)).toEqual([]);
    await pool.query('ALTER TABLE notifications NO FORCE ROW LEVEL SECURITY');
    try {
      expect(await timerTablesWithoutForcedRls(pool)).toEqual(['notifications']);
    } finally {
      await pool.query('ALTER TABLE notifications FORCE ROW LEVEL SECURITY');
    }
  });

  it("keeps each tenant's timers to itself, on a pooled connection reused across tenants", async () => {
    const [a, b] = [newTenant('rls-a'), newTenant('rls-b')];
    for (const tenantId of [a, b]) {
      const workflow = await publishWorkflow(
        store,
        tenantId,
        'sales',
        workflowWithPlan({ days: 5, daysBefore: [1] }),
      );
      await openAppraisal(store, tenantId, 'ap-1', workflow, '2026-03-02T09:00:00.000Z');
    }
    await drain();
    const single = createPool(workerDatabaseUrl(), 1, 'timers-rls-test');
    try {
      const keysOf = (tenantId: string) =>
        inTenantTransaction(single, tenantId, async (tx) =>
          (await tx.query<{ tenant_id: string }>('SELECT tenant_id FROM timers')).rows.map(
            (row) => row.tenant_id,
          ),
        );
      expect(new Set(await keysOf(a))).toEqual(new Set([a]));
      expect(new Set(await keysOf(b))).toEqual(new Set([b]));
      // The setting died with the transaction: the same connection now sees nothing.
      expect((await single.query('SELECT * FROM timers')).rows).toEqual([]);
      await expect(
        inTenantTransaction(single, a, (tx) =>
          tx.query(
            `INSERT INTO timers (tenant_id, timer_key, appraisal_id, step_key, occurrence, kind, level, fire_at,
                                 workflow_id, workflow_version, opened_position)
             VALUES ($1, 'k', 'ap', 'plan', 1, 'deadline', 0, now(), 'w', 1, 0)`,
            [b],
          ),
        ),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await single.end();
    }
    expect(
      (await timers.ofAppraisal(a, 'ap-1')).map((timer) => [timer.timerKey, timer.fireAt, timer.status]),
    ).toEqual([
      ['reminder-ap-1-plan-1-0', '2026-03-06T09:00:00.000Z', 'pending'],
      ['deadline-ap-1-plan-1-0', '2026-03-07T09:00:00.000Z', 'pending'],
    ]);
  });

  it('cancels the timers of an occurrence when the step opens again (a returned plan)', async () => {
    const tenantId = newTenant('reopen');
    const workflow = await publishWorkflow(store, tenantId, 'sales', workflowWithPlan({ days: 5 }));
    const opened = await openAppraisal(store, tenantId, 'ap-1', workflow, '2026-03-02T09:00:00.000Z');
    await drain();
    const first = opened.find((event) => event.type === 'StepOpened') as Extract<
      AppraisalEvent,
      { type: 'StepOpened' }
    >;
    await store.append(
      streamName(AGGREGATES.appraisal, tenantId, 'ap-1'),
      [
        {
          eventId: randomUUID(),
          type: 'StepOpened',
          data: {
            ...first.data,
            occurrence: 2,
            at: '2026-03-04T09:00:00.000Z',
            dueAt: '2026-03-09T09:00:00.000Z',
          },
          metadata: {
            tenantId,
            actor: { id: 'u-mgr', role: 'manager' },
            correlationId: randomUUID(),
            causationId: null,
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 1n },
    );
    await drain();
    expect(
      (await timers.ofAppraisal(tenantId, 'ap-1')).map((timer) => [timer.timerKey, timer.status]),
    ).toEqual([
      ['deadline-ap-1-plan-1-0', 'cancelled'],
      ['deadline-ap-1-plan-2-0', 'pending'],
    ]);
    expect(alarm.cleared).toContain('deadline-ap-1-plan-1-0');
    expect(alarm.set).toContain('deadline-ap-1-plan-2-0');
  });

  it('counts working days on the workflow calendar (time zone, holiday, weekend)', async () => {
    const tenantId = newTenant('calendar');
    const draft = workflowWithPlan({
      days: 15,
      daysBefore: [2],
      escalation: [{ afterDays: 3, to: 'manager' }],
    }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    draft.calendar = { timeZone: 'Europe/Berlin', holidays: ['2026-04-03'] };
    draft.steps.find((step: { kind: string }) => step.kind === 'plan').offsets = 'working-days';
    const workflow = await publishWorkflow(store, tenantId, 'sales', draft);
    // Opened Monday 16 March 09:30 CET; due 15 working days later: Good Friday (3 April) and three
    // weekends skipped, Tuesday 7 April at 09:30 local, which is CEST by then (07:30Z).
    await openAppraisal(store, tenantId, 'ap-1', workflow, '2026-03-16T08:30:00.000Z');
    await drain();
    expect(
      (await timers.ofAppraisal(tenantId, 'ap-1')).map((timer) => [timer.timerKey, timer.fireAt]),
    ).toEqual([
      ['reminder-ap-1-plan-1-0', '2026-04-02T07:30:00.000Z'], // Thursday: Monday 6th, then back over Good Friday and the weekend
      ['deadline-ap-1-plan-1-0', '2026-04-07T07:30:00.000Z'],
      ['escalation-ap-1-plan-1-1', '2026-04-10T07:30:00.000Z'], // Wed, Thu, Fri
    ]);
  });

  it('settles a timer at the first of the cancellations one batch brings (completed, then re-opened)', async () => {
    const tenantId = newTenant('settle');
    const workflow = await publishWorkflow(store, tenantId, 'sales', workflowWithPlan({ days: 5 }));
    await openAppraisal(store, tenantId, 'ap-1', workflow, '2026-03-02T09:00:00.000Z');
    await submitPlan(store, tenantId, 'ap-1', workflow, '2026-03-03T09:00:00.000Z');
    await drain(); // plan-approval (occurrence 1) is open, its deadline pending
    // One batch: plan-approval 1 completes (returned), plan 2 opens, is submitted, plan-approval 2
    // opens, which would also cancel occurrence 1 (it cancels lower occurrences).
    await returnPlan(store, tenantId, 'ap-1', workflow, '2026-03-04T09:00:00.000Z');
    await submitPlan(store, tenantId, 'ap-1', workflow, '2026-03-05T09:00:00.000Z');
    await drain({ hashJoins: true }); // as on a large table: the choice among matches is the plan's
    const events = await store.readStream(streamName(AGGREGATES.appraisal, tenantId, 'ap-1'));
    const completed = events.find(
      (event) =>
        event.type === 'StepCompleted' &&
        (event.data as { stepKey: string; occurrence: number }).stepKey === 'plan-approval',
    )!;
    const row = await inTenantTransaction(pool, tenantId, (tx) =>
      tx.query<{ status: string; settled_position: string }>(
        'SELECT status, settled_position FROM timers WHERE tenant_id = $1 AND timer_key = $2',
        [tenantId, 'deadline-ap-1-plan-approval-1-0'],
      ),
    );
    expect(row.rows).toEqual([{ status: 'cancelled', settled_position: completed.position }]);
  });

  it('recomputes the open timers of a migrated appraisal from its new version', async () => {
    const tenantId = newTenant('migrate');
    const v1 = await publishWorkflow(
      store,
      tenantId,
      'sales',
      workflowWithPlan({ days: 5, daysBefore: [2] }),
    );
    const v2 = await publishWorkflow(
      store,
      tenantId,
      'sales',
      workflowWithPlan({ days: 5, daysBefore: [1], escalation: [{ afterDays: 2, to: 'manager' }] }),
    );
    await openAppraisal(store, tenantId, 'ap-1', v1, '2026-03-02T09:00:00.000Z');
    await drain();
    await migrateAppraisal(store, tenantId, 'ap-1', v1, v2, '2026-03-03T09:00:00.000Z');
    alarm = new RecordingAlarm();
    await drain();
    expect(
      (await timers.ofAppraisal(tenantId, 'ap-1')).map((timer) => [
        timer.timerKey,
        timer.fireAt,
        timer.status,
      ]),
    ).toEqual([
      ['reminder-ap-1-plan-1-0', '2026-03-06T09:00:00.000Z', 'pending'], // 1 day before (v2), was 2 (v1)
      ['deadline-ap-1-plan-1-0', '2026-03-07T09:00:00.000Z', 'pending'], // the due time stays
      ['escalation-ap-1-plan-1-1', '2026-03-09T09:00:00.000Z', 'pending'], // new in v2
    ]);
    // The moved reminder's job is replaced, not left at its old time.
    expect(alarm.cleared).toContain('reminder-ap-1-plan-1-0');
    expect(alarm.set).toEqual(
      expect.arrayContaining([
        'reminder-ap-1-plan-1-0',
        'deadline-ap-1-plan-1-0',
        'escalation-ap-1-plan-1-1',
      ]),
    );
  });

  it('rebuilds from position zero to the same rows (reset, then the whole log again)', async () => {
    await drain();
    const snapshot = async () => {
      const tenants = await pool.query<{ tenant_id: string }>(
        'SELECT tenant_id FROM timer_tenants ORDER BY 1',
      );
      const rows: unknown[] = [];
      for (const { tenant_id: tenantId } of tenants.rows)
        await inTenantTransaction(pool, tenantId, async (tx) => {
          rows.push(...(await tx.query('SELECT * FROM timers ORDER BY tenant_id, timer_key')).rows);
          rows.push(
            ...(await tx.query('SELECT * FROM timer_appraisals ORDER BY tenant_id, appraisal_id')).rows,
          );
        });
      return rows;
    };
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(10);
    const handler = timersProjection({
      store,
      workflows: new WorkflowVersions(store),
      alarm: alarm.asPort(),
    });
    await inTransaction(pool, (tx) => handler.reset!(tx));
    expect(await snapshot()).toEqual([]);
    position = START;
    await drain();
    expect(await snapshot()).toEqual(before);
  });
});
