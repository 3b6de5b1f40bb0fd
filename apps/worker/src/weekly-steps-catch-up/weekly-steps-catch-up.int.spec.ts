import { AGGREGATES, sales4232Workflow, weeklyPlanSteps, type AppraisalEvent } from '@verity/domain';
import { salesWithWeeklyPlans } from '@verity/domain/testing/behaviour-workflow';
import { happyPath } from '@verity/domain/testing/appraisal-scenario';
import { streamName } from '@verity/event-store';
import { newTenant, publishWorkflow } from '@verity/projections/timers/testing/timer-fixtures';
import { storeOfThisFile } from '../../../../test/support/store-per-file';
import { manualClock } from '../timers/clock';
import { asHr } from '../process-managers/testing/process-managers-harness';
import { catchUpWeeklyPlanSteps } from './weekly-steps-catch-up';

/**
 * ADR 0153 on the real store: an appraisal approved before weekly plans were steps (its events
 * written as they were then: the approval opened no weekly step) gets the steps of its weeks still
 * to come from the catch-up, once; a second run, and a run resumed from the first one's position,
 * add nothing.
 */
describe('weekly-plan steps caught up for appraisals approved before ADR 0145', () => {
  const db = storeOfThisFile('weekly-steps-catch-up-test', 4);

  const weekSteps = (events: { type: string; data: unknown }[]) =>
    events.flatMap((event) => {
      const data = event.data as Extract<AppraisalEvent, { type: 'StepOpened' }>['data'];
      return event.type === 'StepOpened' && data.kind === 'weekly-plan' ? [data.instance] : [];
    });

  it("opens the remaining weeks' steps once; a second run and a resumed run add nothing", async () => {
    const tenantId = newTenant('weekly-catch-up');
    // The workflow as the tenant runs it now: weekly plans timed as steps (ADR 0145).
    await publishWorkflow(db.store, tenantId, 'weekly', {
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
    await db.store.append(streamId, asHr(tenantId, approved), { expectedRevision: 'no_stream' });
    // She planned 2026-W12 ahead: that week's step is not opened (its submission came first).
    await db.store.append(
      streamName(AGGREGATES.weeklyPlan, tenantId, 'ann.2026-W12'),
      asHr(tenantId, [
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
    const first = await catchUpWeeklyPlanSteps(db.store, clock, { batchSize: 3 });
    expect(first).toMatchObject({ appraisalEvents: 1, recorded: 1, alreadySent: 0, refused: {} });
    const afterFirst = await db.store.readStream(streamId);
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
    const second = await catchUpWeeklyPlanSteps(db.store, clock);
    expect(second).toMatchObject({ appraisalEvents: 1, recorded: 0, alreadySent: 1, stepsOpened: 0 });
    expect(await db.store.readStream(streamId)).toHaveLength(afterFirst.length);

    // A run resumed from the first run's position has nothing left to read.
    const resumed = await catchUpWeeklyPlanSteps(db.store, clock, { after: first.position });
    expect(resumed).toMatchObject({ appraisalEvents: 0, recorded: 0 });
    expect(await db.store.readStream(streamId)).toHaveLength(afterFirst.length);
  });
});
