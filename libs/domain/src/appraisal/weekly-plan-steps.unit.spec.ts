import { parseWorkflowDefinition } from '../workflow/workflow-definition.validate';
import {
  AP,
  Scenario,
  added,
  approvedAt,
  approvedUnder,
  as,
  planningUnder,
} from '../testing/appraisal-scenario';
import {
  salesWithWeeklySteps,
  weeklyStepsWorkflow as weekly,
  weeklyWorkflow,
} from '../testing/behaviour-workflow';
import { sales4232Workflow } from '../examples/sales-4232.workflow';
import { openSteps } from './appraisal.steps';
import type { AppraisalEvent } from './appraisal.events';

const track = (week: string, progress: 'submitted' | 'reviewed') => ({
  type: 'TrackWeeklyPlan' as const,
  data: { appraisalId: AP, week, progress },
});
/** The system tracking a week's plan under the weekly workflow, at `now`. */
const at = (now: string) => as('system', { now, workflow: weekly });
/** The superior's review of a week's plan opened, as `brief` lists it. */
const reviewOpened = (week: string, occurrence: number, dueAt: string) => [
  'StepOpened',
  `weekly-plan-review.${week}`,
  occurrence,
  { actor: 'manager', employeeId: null },
  dueAt,
];
const brief = (events: AppraisalEvent[]) =>
  events.map((event) =>
    event.type === 'StepOpened'
      ? ['StepOpened', event.data.stepKey, event.data.occurrence, event.data.assignee, event.data.dueAt]
      : event.type === 'StepCompleted'
        ? ['StepCompleted', event.data.stepKey, event.data.occurrence, event.data.late]
        : [event.type],
  );

describe('weekly plans as steps of the appraisal (ADR 0145)', () => {
  it("the plan's approval opens a step per week of the cycle still to come, due a day after its Monday", () => {
    const year = approvedUnder(weekly);
    const weeks = year.events.filter(
      (event): event is Extract<AppraisalEvent, { type: 'StepOpened' }> =>
        event.type === 'StepOpened' && event.data.kind === 'weekly-plan',
    );
    // 2026 counts 53 ISO weeks by their Thursday; W01 was due on 30 December, before the approval.
    expect(weeks).toHaveLength(52);
    expect(weeks[0].data).toMatchObject({
      stepKey: 'weekly-plan.2026-W02',
      instance: '2026-W02',
      assignee: { actor: 'self', employeeId: 'ann' },
      dueAt: '2026-01-06T00:00:00.000Z',
    });
    expect(weeks[51].data).toMatchObject({
      stepKey: 'weekly-plan.2026-W53',
      dueAt: '2026-12-29T00:00:00.000Z',
    });
  });

  it('a week the person planned before the approval opens no step', () => {
    const keys = approvedUnder(weekly, ['2026-W03', '2026-W04']).events.flatMap((event) =>
      event.type === 'StepOpened' && event.data.kind === 'weekly-plan' ? [event.data.instance] : [],
    );
    expect(keys).toHaveLength(50);
    expect(keys).not.toContain('2026-W03');
    expect(keys).not.toContain('2026-W04');
    expect(keys).toContain('2026-W05');
  });

  it("a week nobody plans is reminded, misses its deadline and escalates like any step, through the appraisal's timers", () => {
    const year = approvedUnder(weekly);
    const step = openSteps(year.events, weekly.definition).find((s) => s.stepKey === 'weekly-plan.2026-W03')!;
    expect(step.timers.map((timer) => [timer.kind, timer.level, timer.fireAt, timer.escalateTo])).toEqual([
      ['reminder', 0, '2026-01-12T00:00:00.000Z', undefined],
      ['deadline', 0, '2026-01-13T00:00:00.000Z', undefined],
      ['escalation', 1, '2026-01-14T00:00:00.000Z', 'manager'],
      ['escalation', 2, '2026-01-16T00:00:00.000Z', 'hr'],
    ]);
    const fire = (scenario: Scenario, index: number) =>
      scenario.run(step.timers[index].command, at(step.timers[index].fireAt));
    const reminded = fire(year, 0);
    const missed = fire(reminded, 1);
    const escalated = fire(missed, 2);
    expect(
      added(year, escalated).map((event) => [event.type, 'stepKey' in event.data && event.data.stepKey]),
    ).toEqual([
      ['ReminderSent', 'weekly-plan.2026-W03'],
      ['DeadlineMissed', 'weekly-plan.2026-W03'],
      ['StepEscalated', 'weekly-plan.2026-W03'],
    ]);
    // Planned late, the week's step closes late, and its last escalation no longer fires.
    const planned = escalated.run(track('2026-W03', 'submitted'), at('2026-01-15T10:00:00.000Z'));
    expect(brief(added(escalated, planned))).toEqual([
      ['StepCompleted', 'weekly-plan.2026-W03', 1, true],
      reviewOpened('2026-W03', 1, '2026-01-17T10:00:00.000Z'),
    ]);
    expect(added(planned, fire(planned, 3))).toEqual([]);
  });

  it("a submitted plan opens the superior's review; a revision while it is open adds nothing; a review closes it; a later revision is reviewed again", () => {
    const year = approvedUnder(weekly);
    const submitted = year.run(track('2026-W10', 'submitted'), at('2026-03-02T08:00:00.000Z'));
    expect(brief(added(year, submitted))).toEqual([
      ['StepCompleted', 'weekly-plan.2026-W10', 1, false],
      reviewOpened('2026-W10', 1, '2026-03-04T08:00:00.000Z'),
    ]);
    const review = openSteps(submitted.events, weekly.definition).find(
      (s) => s.stepKey === 'weekly-plan-review.2026-W10',
    )!;
    expect(review.timers.map((timer) => [timer.kind, timer.fireAt, timer.escalateTo])).toEqual([
      ['reminder', '2026-03-03T08:00:00.000Z', undefined],
      ['deadline', '2026-03-04T08:00:00.000Z', undefined],
      ['escalation', '2026-03-05T08:00:00.000Z', 'skip-level'],
    ]);
    const revised = submitted.run(track('2026-W10', 'submitted'), at('2026-03-02T12:00:00.000Z'));
    expect(added(submitted, revised)).toEqual([]);
    const reviewed = revised.run(track('2026-W10', 'reviewed'), at('2026-03-03T09:00:00.000Z'));
    expect(brief(added(revised, reviewed))).toEqual([
      ['StepCompleted', 'weekly-plan-review.2026-W10', 1, false],
    ]);
    expect(
      added(reviewed, reviewed.run(track('2026-W10', 'reviewed'), at('2026-03-03T10:00:00.000Z'))),
    ).toEqual([]);
    const again = reviewed.run(track('2026-W10', 'submitted'), at('2026-03-03T11:00:00.000Z'));
    expect(brief(added(reviewed, again))).toEqual([reviewOpened('2026-W10', 2, '2026-03-05T11:00:00.000Z')]);
  });

  it("a plan that arrives before the year's plan is approved is reviewed as well", () => {
    const before = planningUnder(weekly);
    expect(before.state.status).toBe('planning');
    const early = before.run(track('2026-W03', 'submitted'), at(approvedAt));
    expect(brief(added(before, early))).toEqual([reviewOpened('2026-W03', 1, '2026-01-07T09:00:00.000Z')]);
  });

  it('a workflow without weekly steps opens none and tracks nothing; only the system tracks', () => {
    const plain = weeklyWorkflow;
    const year = approvedUnder(plain);
    expect(
      year.events.some((event) => event.type === 'StepOpened' && event.data.kind.startsWith('weekly')),
    ).toBe(false);
    const tracked = year.run(track('2026-W10', 'submitted'), as('system', { workflow: plain }));
    expect(added(year, tracked)).toEqual([]);
    expect(() =>
      approvedUnder(weekly).run(track('2026-W10', 'submitted'), as('manager', { workflow: weekly })),
    ).toThrow(expect.objectContaining({ code: 'role-not-allowed' }));
  });

  it('the workflow is refused with a weekly step but no weekly plans, or a week-start anchor on another step', () => {
    const { weeklyPlans: _none, ...withoutPlans } = salesWithWeeklySteps;
    const issues = (definition: unknown) => {
      const parsed = parseWorkflowDefinition(definition);
      return parsed.ok ? [] : parsed.issues.map((issue) => [issue.path, issue.rule]);
    };
    expect(issues(withoutPlans)).toEqual(
      expect.arrayContaining([
        [`steps[${sales4232Workflow.steps.length}].kind`, 'weekly-plans-required'],
        [`steps[${sales4232Workflow.steps.length + 1}].kind`, 'weekly-plans-required'],
      ]),
    );
    const anchored = {
      ...salesWithWeeklySteps,
      steps: salesWithWeeklySteps.steps.map((step) =>
        step.kind === 'plan' ? { ...step, due: { from: 'week-start', days: 1 } } : step,
      ),
    };
    expect(issues(anchored)).toEqual([[`steps[0].due.from`, 'due-anchor']]);
  });
});
