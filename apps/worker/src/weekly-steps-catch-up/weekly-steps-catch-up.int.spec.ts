import type { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import {
  AGGREGATES,
  eventSchemas,
  sales4232Workflow,
  weeklyPlanSteps,
  type AppraisalEvent,
} from '@verity/domain';
import { happyPath } from '@verity/domain/testing/appraisal-scenario';
import { salesWithWeeklyPlans } from '@verity/domain/testing/behaviour-workflow';
import { PostgresEventStore, streamName, type EventStore } from '@verity/event-store';
import { createPool } from '@verity/platform';
import { newTenant, publishWorkflow } from '@verity/projections/timers/testing/timer-fixtures';
import { workerDatabaseUrl } from '../../../../test/support/environment';
import { manualClock } from '../timers/clock';
import { catchUpWeeklyPlanSteps } from './weekly-steps-catch-up';

/**
 * ADR 0153 on the real store: an appraisal approved before weekly plans were steps (its events
 * written as they were then: the approval opened no weekly step) gets the steps of its weeks still
 * to come from the catch-up, once; a second run, and a run resumed from the first one's position,
 * add nothing.
 */
describe('weekly-plan steps caught up for appraisals approved before ADR 0145', () => {
  let pool: Pool;
  let store: EventStore;

  beforeAll(() => {
    pool = createPool(workerDatabaseUrl(), 4, 'weekly-steps-catch-up-test');
    store = new PostgresEventStore(pool);
  });
  afterAll(() => pool.end());

  const newEvents = (tenantId: string, events: { type: string; data: unknown }[]) =>
    events.map((event) => ({
      eventId: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: {
        tenantId,
        actor: { id: 'u-hr', role: 'hr' },
        correlationId: `test-${tenantId}`,
        causationId: null,
        schemaVersion: eventSchemas[event.type as keyof typeof eventSchemas].version,
      },
    }));

  const weekSteps = (events: { type: string; data: unknown }[]) =>
    events.flatMap((event) => {
      const data = event.data as Extract<AppraisalEvent, { type: 'StepOpened' }>['data'];
      return event.type === 'StepOpened' && data.kind === 'weekly-plan' ? [data.instance] : [];
    });

  it("opens the remaining weeks' steps once; a second run and a resumed run add nothing", async () => {
    const tenantId = newTenant('weekly-catch-up');
    // The workflow as the tenant runs it now: weekly plans timed as steps (ADR 0145).
    await publishWorkflow(store, tenantId, 'weekly', {
      ...salesWithWeeklyPlans,
      steps: [...sales4232Workflow.steps, ...weeklyPlanSteps],
    });
    // Ann's appraisal approved on 5 January, recorded as approvals were then: no weekly step.
    const appraisalId = 'ap-before';
    const streamId = streamName(AGGREGATES.appraisal, tenantId, appraisalId);
    const approved = happyPath().approved.events.map((event) => ({
      ...event,
      data: {
        ...(event.data as object),
        appraisalId,
        ...(event.type === 'AppraisalOpened' ? { workflowId: 'weekly' } : {}),
      },
    }));
    expect(weekSteps(approved)).toEqual([]);
    await store.append(streamId, newEvents(tenantId, approved), { expectedRevision: 'no_stream' });
    // She planned 2026-W12 ahead: that week's step is not opened (its submission came first).
    await store.append(
      streamName(AGGREGATES.weeklyPlan, tenantId, 'ann.2026-W12'),
      newEvents(tenantId, [
        {
          type: 'WeeklyPlanSubmitted',
          data: {
            planId: 'ann.2026-W12',
            at: '2026-02-27T09:00:00.000Z',
            employeeId: 'ann',
            cycleId: 'c2026',
            week: '2026-W12',
            month: '2026-03',
            planVersion: 1,
            items: [],
            days: [],
            pii: { items: [], days: [] },
          },
        },
      ]),
      { expectedRevision: 'no_stream' },
    );

    // Run on Monday 2 March (2026-W10, whose plan is due on Tuesday): W02–W09 are past.
    const clock = manualClock('2026-03-02T09:00:00.000Z');
    const first = await catchUpWeeklyPlanSteps(store, clock, { batchSize: 3 });
    expect(first).toMatchObject({ appraisalEvents: 1, recorded: 1, alreadySent: 0, refused: {} });
    const afterFirst = await store.readStream(streamId);
    const weeks = weekSteps(afterFirst);
    expect(weeks[0]).toBe('2026-W10');
    expect(weeks).not.toContain('2026-W09');
    expect(weeks).not.toContain('2026-W12');
    expect(weeks.at(-1)).toBe('2026-W53');
    expect(new Set(weeks).size).toBe(weeks.length);
    expect(weeks).toHaveLength(44 - 1); // W10–W53, less the week planned already
    expect(first.stepsOpened).toBe(weeks.length);
    // Recorded by the system, caused by the approval it reacted to.
    const approval = afterFirst.find((event) => event.type === 'PlanApproved')!;
    const opened = afterFirst.filter((event) => event.type === 'StepOpened').at(-1)!;
    expect(opened.metadata).toMatchObject({
      actor: { id: 'behaviour-weekly-steps-catch-up', role: 'system' },
      causationId: approval.eventId,
    });

    // A second full run, a week later: the same command, found in the stream; nothing more.
    clock.advance(7 * 24 * 3600_000);
    const second = await catchUpWeeklyPlanSteps(store, clock);
    expect(second).toMatchObject({ appraisalEvents: 1, recorded: 0, alreadySent: 1, stepsOpened: 0 });
    expect(await store.readStream(streamId)).toHaveLength(afterFirst.length);

    // A run resumed from the first run's position has nothing left to read.
    const resumed = await catchUpWeeklyPlanSteps(store, clock, { after: first.position });
    expect(resumed).toMatchObject({ appraisalEvents: 0, recorded: 0 });
    expect(await store.readStream(streamId)).toHaveLength(afterFirst.length);
  });
});
