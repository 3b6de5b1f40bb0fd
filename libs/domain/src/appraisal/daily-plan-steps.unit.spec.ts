import type { PinnedWorkflow } from '../workflow/workflow.decide';
import { parseWorkflowDefinition } from '../workflow/workflow-definition.validate';
import { AP, added, approvedUnder, as, definitionOf } from '../testing/appraisal-scenario';
import { sales4232Workflow } from '../examples/sales-4232.workflow';
import { weeklyPlanSteps } from '../examples/weekly-plan-steps';
import { dailyPlanSteps } from '../examples/daily-plan-steps';
import { annDayOfW10, salesWithWeeklySteps, weeklyStepsWorkflow } from '../testing/behaviour-workflow';
import { openSteps } from './appraisal.steps';
import { filedDaysOf } from '../weekly-plan/scored-weeks';
import { datesOfIsoWeek } from '../weekly-plan/iso-week';
import type { DailyPlan } from '../daily-plan/daily-plan.decide';
import type { AppraisalEvent } from './appraisal.events';

/** The sales workflow with weekly plans and daily plans timed as steps (ADRs 0145, 0160). */
const withDays = {
  ...salesWithWeeklySteps,
  dailyPlans: {},
  steps: [...salesWithWeeklySteps.steps, ...dailyPlanSteps],
};
const daily: PinnedWorkflow = { workflowId: 'sales', version: 1, definition: definitionOf(withDays) };

const trackWeek = (week: string) => ({
  type: 'TrackWeeklyPlan' as const,
  data: { appraisalId: AP, week, progress: 'submitted' as const },
});
const trackDay = (date: string, progress: 'filed' | 'reviewed') => ({
  type: 'TrackDailyPlan' as const,
  data: { appraisalId: AP, date, progress },
});
const opened = (events: AppraisalEvent[], kind: string) =>
  events.flatMap((event) =>
    event.type === 'StepOpened' && event.data.kind === kind ? [[event.data.instance, event.data.dueAt]] : [],
  );
const at = (now: string, extra: object = {}) => ({ ...as('system', { now, workflow: daily }), ...extra });

describe('daily plans as steps of the appraisal (ADR 0160)', () => {
  it("the approval opens no day; the week's plan opens a step per working day still to come, due the next morning", () => {
    const year = approvedUnder(daily);
    expect(opened(year.events, 'daily-plan')).toEqual([]);
    // 2026-W10 runs Monday 2 March to Sunday 8 March; planned on Tuesday morning, Monday is due already.
    const planned = year.run(trackWeek('2026-W10'), at('2026-03-03T08:00:00.000Z'));
    expect(opened(added(year, planned), 'daily-plan')).toEqual([
      ['2026-03-03', '2026-03-04T00:00:00.000Z'],
      ['2026-03-04', '2026-03-05T00:00:00.000Z'],
      ['2026-03-05', '2026-03-06T00:00:00.000Z'],
      ['2026-03-06', '2026-03-07T00:00:00.000Z'],
    ]);
    // A revised week opens no day twice.
    expect(
      opened(
        added(planned, planned.run(trackWeek('2026-W10'), at('2026-03-03T09:00:00.000Z'))),
        'daily-plan',
      ),
    ).toEqual([]);
  });

  it("a day filed before its week's plan opens no step; the workflow's calendar says which days work", () => {
    const filed = approvedUnder(daily).run(
      trackWeek('2026-W10'),
      at('2026-03-01T08:00:00.000Z', { filedDays: ['2026-03-02'] }),
    );
    expect(opened(filed.events, 'daily-plan').map(([date]) => date)).toEqual([
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
    ]);
    const calendar = {
      timeZone: 'Asia/Shanghai',
      weekend: [6, 7],
      holidays: ['2026-03-04'],
      workingWeekends: ['2026-03-07'],
    };
    const byCalendar: PinnedWorkflow = { ...daily, definition: definitionOf({ ...withDays, calendar }) };
    const days = approvedUnder(byCalendar).run(
      trackWeek('2026-W10'),
      as('system', { now: '2026-03-01T08:00:00.000Z', workflow: byCalendar }),
    );
    expect(opened(days.events, 'daily-plan').map(([date]) => date)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
    ]);
  });

  it("an unfiled day is reminded, missed and escalated to the manager; filing it closes it late and opens the superior's review, which a review closes", () => {
    const week = approvedUnder(daily).run(trackWeek('2026-W10'), at('2026-03-01T08:00:00.000Z'));
    const step = openSteps(week.events, daily.definition).find((s) => s.stepKey === 'daily-plan.2026-03-04')!;
    expect(step.timers.map((timer) => [timer.kind, timer.fireAt, timer.escalateTo])).toEqual([
      ['reminder', '2026-03-04T00:00:00.000Z', undefined],
      ['deadline', '2026-03-05T00:00:00.000Z', undefined],
      ['escalation', '2026-03-06T00:00:00.000Z', 'manager'],
    ]);
    let year = week;
    for (const timer of step.timers) year = year.run(timer.command, at(timer.fireAt));
    expect(added(week, year).map((event) => event.type)).toEqual([
      'ReminderSent',
      'DeadlineMissed',
      'StepEscalated',
    ]);
    const filed = year.run(trackDay('2026-03-04', 'filed'), at('2026-03-06T10:00:00.000Z'));
    expect(
      added(year, filed).map((event) =>
        event.type === 'StepCompleted'
          ? [event.type, event.data.stepKey, event.data.late]
          : event.type === 'StepOpened'
            ? [event.type, event.data.stepKey, event.data.assignee.actor, event.data.dueAt]
            : [event.type],
      ),
    ).toEqual([
      ['StepCompleted', 'daily-plan.2026-03-04', true],
      ['StepOpened', 'daily-plan-review.2026-03-04', 'manager', '2026-03-07T10:00:00.000Z'],
    ]);
    // Filed again (a second summary): nothing more; reviewed: the review closes, once.
    expect(added(filed, filed.run(trackDay('2026-03-04', 'filed'), at('2026-03-06T11:00:00.000Z')))).toEqual(
      [],
    );
    const reviewed = filed.run(trackDay('2026-03-04', 'reviewed'), at('2026-03-06T12:00:00.000Z'));
    expect(added(filed, reviewed).map((event) => event.type)).toEqual(['StepCompleted']);
    expect(
      added(reviewed, reviewed.run(trackDay('2026-03-04', 'reviewed'), at('2026-03-06T13:00:00.000Z'))),
    ).toEqual([]);
  });

  it('without the setting nothing opens or closes, and only the system tracks a day', () => {
    const plain = weeklyStepsWorkflow;
    const year = approvedUnder(plain);
    const week = year.run(
      trackWeek('2026-W10'),
      as('system', { now: '2026-03-01T08:00:00.000Z', workflow: plain }),
    );
    expect(opened(week.events, 'daily-plan')).toEqual([]);
    expect(added(week, week.run(trackDay('2026-03-04', 'filed'), as('system', { workflow: plain })))).toEqual(
      [],
    );
    expect(() =>
      approvedUnder(daily).run(trackDay('2026-03-04', 'filed'), as('manager', { workflow: daily })),
    ).toThrow(expect.objectContaining({ code: 'role-not-allowed' }));
  });

  it('the workflow is refused with a daily step but no daily plans, days without weeks, or a day-start anchor elsewhere', () => {
    const issues = (definition: unknown) => {
      const parsed = parseWorkflowDefinition(definition);
      return parsed.ok ? [] : parsed.issues.map((issue) => [issue.path, issue.rule]);
    };
    expect(issues(withDays)).toEqual([]);
    const { dailyPlans: _days, ...withoutDays } = withDays;
    const first = sales4232Workflow.steps.length + weeklyPlanSteps.length;
    expect(issues(withoutDays)).toEqual([
      [`steps[${first}].kind`, 'daily-plans-required'],
      [`steps[${first + 1}].kind`, 'daily-plans-required'],
    ]);
    expect(issues({ ...sales4232Workflow, dailyPlans: {} })).toEqual([
      ['dailyPlans', 'weekly-plans-required'],
    ]);
    const anchored = {
      ...withDays,
      steps: withDays.steps.map((step) =>
        step.kind === 'plan' ? { ...step, due: { from: 'day-start', days: 0 } } : step,
      ),
    };
    expect(issues(anchored)).toEqual([['steps[0].due.from', 'due-anchor']]);
    expect(issues({ ...withDays, dailyPlans: { weekScore: 'sum' } })).toEqual([
      ['dailyPlans.weekScore', expect.any(String)],
    ]);
  });

  it("reads the week's seven days for the handler and keeps those filed in the appraisal's cycle", async () => {
    const year = approvedUnder(daily);
    const asked: string[][] = [];
    const cycleId = year.state.status === 'empty' ? '' : year.state.cycleId;
    const day = (date: string, status: DailyPlan['status'], cycle = cycleId) =>
      annDayOfW10(date, status, cycle);
    const filed = await filedDaysOf(year.state, '2026-W10', async (ids) => {
      asked.push(ids);
      return [
        day('2026-03-02', 'summarized'),
        day('2026-03-03', 'planned'),
        day('2026-03-04', 'scored'),
        day('2026-03-05', 'summarized', 'another-cycle'),
        day('2026-03-06', 'empty'),
        day('2026-03-07', 'empty'),
        day('2026-03-08', 'empty'),
      ];
    });
    expect(asked).toEqual([datesOfIsoWeek('2026-W10').map((date) => `ann.${date}`)]);
    expect(filed).toEqual(['2026-03-02', '2026-03-04']);
  });
});
