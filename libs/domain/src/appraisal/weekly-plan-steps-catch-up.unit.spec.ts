import { AP, Scenario, added, approvedAt, approvedUnder, as } from '../testing/appraisal-scenario';
import { weeklyStepsWorkflow as weekly } from '../testing/behaviour-workflow';
import { behaviourWeeklyStepsCatchUp } from '../process-managers/behaviour-weekly-steps-catch-up.process-manager';
import { commandIdFor, type ReceivedEvent } from '../process-managers/process-manager';
import type { AppraisalEvent } from './appraisal.events';

const catchUpAt = '2026-03-02T09:00:00.000Z'; // Monday of 2026-W10: W10's plan is due on Tuesday

/** Ann's appraisal approved since ADR 0145: the approval opened its weekly steps. */
const approvedNow = () => approvedUnder(weekly);

const isWeeklyStep = (event: AppraisalEvent) =>
  event.type === 'StepOpened' && event.data.kind === 'weekly-plan';
/** The same appraisal as its events were written before ADR 0145: the approval opened no weekly step. */
const approvedBefore = () => new Scenario(approvedNow().events.filter((event) => !isWeeklyStep(event)));

const catchUp = { type: 'OpenWeeklyPlanSteps' as const, data: { appraisalId: AP } };
const weeksOpened = (events: AppraisalEvent[]) =>
  events.flatMap((event) =>
    event.type === 'StepOpened' && event.data.kind === 'weekly-plan' ? [event.data.instance] : [],
  );

describe('weekly-plan steps caught up for appraisals approved before ADR 0145 (ADR 0153)', () => {
  it('opens a step for each week still to come, none for the weeks already due, and nothing on a second run', () => {
    const before = approvedBefore();
    const once = before.run(catchUp, {
      ...as('system', { now: catchUpAt, workflow: weekly }),
      plannedWeeks: ['2026-W12'],
    });
    const weeks = weeksOpened(added(before, once));
    expect(weeks[0]).toBe('2026-W10');
    expect(weeks).not.toContain('2026-W09');
    expect(weeks).not.toContain('2026-W12'); // planned already: its submission came first
    expect(weeks).toContain('2026-W53');
    expect(weeks).toHaveLength(53 - 9 - 1);
    const again = once.run(catchUp, {
      ...as('system', { now: catchUpAt, workflow: weekly }),
      plannedWeeks: ['2026-W12'],
    });
    expect(added(once, again)).toEqual([]);
  });

  it('opens the same steps, due the same way, as an approval since ADR 0145 opens for those weeks', () => {
    const caughtUp = approvedBefore().run(catchUp, as('system', { now: approvedAt, workflow: weekly }));
    const opened = (scenario: Scenario) => scenario.events.filter(isWeeklyStep).map((event) => event.data);
    expect(opened(caughtUp)).toEqual(opened(approvedNow()));
  });

  it('opens nothing on an appraisal whose approval opened its weeks, nor while the plan is not approved', () => {
    const now = approvedNow();
    expect(added(now, now.run(catchUp, as('system', { now: catchUpAt, workflow: weekly })))).toEqual([]);
    const planning = new Scenario(
      now.events.filter((event) => event.type !== 'PlanApproved' && !isWeeklyStep(event)),
    );
    expect(planning.state.status).toBe('planning');
    expect(
      added(planning, planning.run(catchUp, as('system', { now: catchUpAt, workflow: weekly }))),
    ).toEqual([]);
  });

  it('only the system sends it', () => {
    expect(() => approvedBefore().run(catchUp, as('hr', { now: catchUpAt, workflow: weekly }))).toThrow(
      expect.objectContaining({ code: 'role-not-allowed' }),
    );
  });

  it('the catch-up reacts to each approval and migration with a command id of its event', () => {
    const approval = {
      type: 'PlanApproved',
      data: { appraisalId: AP },
      eventId: 'ev-1',
      tenantId: 't1',
    } as unknown as ReceivedEvent<never>;
    expect(behaviourWeeklyStepsCatchUp.react(approval)).toEqual([
      {
        commandId: commandIdFor('behaviour-weekly-steps-catch-up', approval, 'open'),
        command: { type: 'OpenWeeklyPlanSteps', data: { appraisalId: AP } },
      },
    ]);
    expect(behaviourWeeklyStepsCatchUp.eventTypes).toEqual(['PlanApproved', 'AppraisalMigrated']);
  });
});
