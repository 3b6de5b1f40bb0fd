import {
  decideWeeklyPlan,
  evolveWeeklyPlan,
  initialWeeklyPlanState,
  isoWeeksOfMonth,
  monthBehaviourScore,
  monthOfIsoWeek,
  monthlyScoreWithBehaviour,
  previousIsoWeek,
  datesOfIsoWeek,
  evolveTargetTree,
  initialTargetTreeState,
  weeklyPlanDecider,
  type WeeklyPlan,
  type WeeklyPlanCommand,
  type WeeklyPlanContext,
  type WeeklyPlanEvent,
} from '../index';
import { pinnedV1 } from '../testing/appraisal-scenario';
import {
  annCycle as cycle,
  annPlanning,
  annsManager,
  twoLineWeeklyPlans as weeklyPlans,
  twoLineWorkflow as workflow,
} from '../testing/behaviour-workflow';
import { contextFor, decideInTurn } from '../testing/specification';

const { definition } = workflow;
const targets = [
  { targetId: 'ann-sales', level: 'person' as const, ownerId: 'ann' },
  { targetId: 'bob-sales', level: 'person' as const, ownerId: 'bob' },
].reduce(
  (tree, target) =>
    evolveTargetTree(tree, {
      type: 'TargetSet',
      data: {
        cycleId: 'c2026',
        parentId: 'east',
        indicatorId: 'sales_volume',
        unit: 'units',
        rollUp: 'sum',
        amount: '1200',
        at: '2026-01-02T00:00:00.000Z',
        ...target,
      },
    }),
  initialTargetTreeState(),
);

const ann = (extra: Partial<WeeklyPlanContext> = {}): WeeklyPlanContext => ({
  ...annPlanning(),
  targets,
  ...extra,
});
const manager = (): WeeklyPlanContext => annsManager(['n-1', 'n-2']);

const run = (steps: [WeeklyPlanCommand, WeeklyPlanContext][], given: WeeklyPlanEvent[] = []) =>
  decideInTurn(weeklyPlanDecider, steps, given);
const fold = (events: WeeklyPlanEvent[]): WeeklyPlan =>
  events.reduce(evolveWeeklyPlan, initialWeeklyPlanState());
const throws = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

const submit = (week: string, overrides: Record<string, unknown> = {}): WeeklyPlanCommand => ({
  type: 'SubmitWeeklyPlan',
  data: {
    planId: `ann.${week}`,
    employeeId: 'ann',
    cycleId: 'c2026',
    week,
    items: [
      {
        itemId: 'calls',
        kind: 'number',
        text: 'Sell 300 units to the channel partners',
        targetId: 'ann-sales',
        planned: '300',
        externalRecords: [{ system: 'crm', recordId: 'cust-42', label: 'Huadong Trading' }],
      },
      { itemId: 'visit', kind: 'action', text: 'Visit the two largest distributors', externalRecords: [] },
    ],
    days: [{ date: datesOfIsoWeek(week)[0], itemIds: ['visit'], note: 'Shanghai on Monday' }],
    ...overrides,
  },
});
const summarize = (week: string): WeeklyPlanCommand => ({
  type: 'SummarizeWeek',
  data: {
    planId: `ann.${week}`,
    results: [
      { itemId: 'calls', actual: '280' },
      { itemId: 'visit', done: true },
    ],
    summary: 'Short by 20 units: one order slipped to next week',
  },
});
const annotate = (week: string, itemId?: string): WeeklyPlanCommand => ({
  type: 'AnnotateWeeklyPlan',
  data: { planId: `ann.${week}`, ...(itemId ? { itemId } : {}), text: 'Chase the slipped order first' },
});
const score = (week: string, reporting: number, execution: number): WeeklyPlanCommand => ({
  type: 'ScoreWeek',
  data: {
    planId: `ann.${week}`,
    ratings: [
      { criterionId: 'reporting', score: reporting },
      { criterionId: 'execution', score: execution },
    ],
  },
});

describe('ISO weeks and months', () => {
  it('counts a week in the month of its Thursday, across year ends', () => {
    expect(isoWeeksOfMonth('2026-02')).toEqual(['2026-W06', '2026-W07', '2026-W08', '2026-W09']);
    expect(isoWeeksOfMonth('2026-12')).toEqual(['2026-W49', '2026-W50', '2026-W51', '2026-W52', '2026-W53']);
    expect(monthOfIsoWeek('2026-W01')).toBe('2026-01');
    expect(datesOfIsoWeek('2026-W01')[0]).toBe('2025-12-29');
    expect(previousIsoWeek('2027-W01')).toBe('2026-W53');
    expect(previousIsoWeek('2026-W10')).toBe('2026-W09');
  });
});

describe('weekly plans', () => {
  it("four weeks planned, summarized, annotated and scored give the month's behaviour score by the rule", () => {
    const ratings: Record<string, [number, number]> = {
      '2026-W06': [70, 90], // 0.4·70 + 0.6·90 = 82.00
      '2026-W07': [100, 84], // 90.40
      '2026-W08': [75, 75], // 75.00
      '2026-W09': [85, 90], // 88.00
    };
    const scores = Object.entries(ratings).map(([week, [reporting, execution]]) => {
      const events = run([
        [submit(week), ann()],
        [summarize(week), ann()],
        [annotate(week, 'calls'), manager()],
        [annotate(week), manager()],
        [score(week, reporting, execution), manager()],
      ]);
      const scored = events.at(-1)!;
      expect(scored).toMatchObject({ type: 'WeekScored', data: { month: '2026-02', workflowVersion: 1 } });
      expect(events.filter((event) => event.type === 'WeeklyPlanAnnotated')).toMatchObject([
        { data: { itemId: 'calls', by: 'u-mgr', pii: { text: 'Chase the slipped order first' } } },
        { data: { itemId: null } },
      ]);
      return (scored.data as { score: string }).score;
    });
    expect(scores).toEqual(['82.00', '90.40', '75.00', '88.00']);
    // average of the four: 335.40 / 4
    const behaviour = monthBehaviourScore('average', scores, definition.rounding);
    expect(behaviour).toBe('83.85');
    expect(monthBehaviourScore('min', scores, definition.rounding)).toBe('75.00');
    expect(monthBehaviourScore('last', scores, definition.rounding)).toBe('88.00');
    // the worked example's month (87.30) with the behaviour score at 20 %: 0.8·87.30 + 0.2·83.85
    expect(
      monthlyScoreWithBehaviour('87.30', behaviour, weeklyPlans.weightInMonthlyScore, definition.rounding),
    ).toBe('86.61');
    expect(monthlyScoreWithBehaviour('87.30', null, 20, definition.rounding)).toBe('87.30');
  });

  it('keeps personal words under pii and links items to the person’s target and to external records', () => {
    const [event] = run([[submit('2026-W06'), ann()]]);
    expect(event).toMatchObject({
      type: 'WeeklyPlanSubmitted',
      data: {
        planVersion: 1,
        month: '2026-02',
        items: [
          {
            itemId: 'calls',
            targetId: 'ann-sales',
            indicatorId: 'sales_volume',
            planned: '300',
            externalRecords: [{ system: 'crm', recordId: 'cust-42' }],
          },
          { itemId: 'visit', kind: 'action', targetId: null, planned: null },
        ],
        days: [{ date: '2026-02-02', itemIds: ['visit'] }],
        pii: {
          items: [
            { itemId: 'calls', recordLabels: [{ recordId: 'cust-42', label: 'Huadong Trading' }] },
            { itemId: 'visit' },
          ],
          days: [{ date: '2026-02-02', note: 'Shanghai on Monday' }],
        },
      },
    });
    expect(JSON.stringify({ ...event.data, pii: null })).not.toMatch(/Huadong|Sell 300|Shanghai/);
    // Revised before the summary: version 2; after it, final.
    const revised = run([[submit('2026-W06'), ann()]], [event]);
    expect(revised.at(-1)).toMatchObject({ data: { planVersion: 2 } });
    const summarized = run([[summarize('2026-W06'), ann()]], revised);
    expect(throws(() => decideWeeklyPlan(submit('2026-W06'), fold(summarized), ann()))).toMatchObject({
      code: 'week-summarized',
    });
  });

  it('refuses broken links, plans of others, and weeks outside the cycle', () => {
    const empty = initialWeeklyPlanState();
    const refusal = (command: WeeklyPlanCommand, ctx = ann()) =>
      throws(() => decideWeeklyPlan(command, empty, ctx));
    expect(refusal(submit('2026-W06', { planId: 'ann.2026-W07' }))).toMatchObject({
      code: 'plan-id',
      issues: [{ path: 'planId' }],
    });
    const otherTarget = submit('2026-W06');
    (otherTarget.data as { items: { targetId?: string }[] }).items[0].targetId = 'bob-sales';
    expect(refusal(otherTarget)).toMatchObject({
      code: 'not-own-target',
      issues: [{ path: 'items.0.targetId' }],
    });
    (otherTarget.data as { items: { targetId?: string }[] }).items[0].targetId = 'nowhere';
    expect(refusal(otherTarget)).toMatchObject({ code: 'target-not-found', intent: 'not-found' });
    expect(refusal(submit('2025-W50', { planId: 'ann.2025-W50' }))).toMatchObject({
      code: 'week-outside-cycle',
    });
    expect(refusal(submit('2026-W06', { days: [{ date: '2026-02-09', itemIds: ['visit'] }] }))).toMatchObject(
      { code: 'day-outside-week', issues: [{ path: 'days.0.date' }] },
    );
    expect(
      refusal(submit('2026-W06'), { ...ann(), actor: { id: 'u-bob', role: 'employee', employeeId: 'bob' } }),
    ).toMatchObject({ code: 'own-plan-only' });
    expect(refusal(submit('2026-W06'), ann({ workflow: pinnedV1 }))).toMatchObject({
      code: 'weekly-plans-not-enabled',
    });
  });

  it('lets only the superior (or HR) annotate and score, against the whole rubric, once summarized', () => {
    const planned = run([[submit('2026-W06'), ann()]]);
    const peer: WeeklyPlanContext = {
      ...contextFor('employee', { actorId: 'u-bob', employeeId: 'bob', relation: 'peer' }),
      cycle,
      workflow,
    };
    expect(throws(() => decideWeeklyPlan(annotate('2026-W06'), fold(planned), peer))).toMatchObject({
      code: 'relation-not-allowed',
    });
    expect(throws(() => decideWeeklyPlan(score('2026-W06', 80, 80), fold(planned), manager()))).toMatchObject(
      {
        code: 'week-not-summarized',
      },
    );
    const summarized = run([[summarize('2026-W06'), ann()]], planned);
    const partial: WeeklyPlanCommand = {
      type: 'ScoreWeek',
      data: { planId: 'ann.2026-W06', ratings: [{ criterionId: 'reporting', score: 80 }] },
    };
    expect(throws(() => decideWeeklyPlan(partial, fold(summarized), manager()))).toMatchObject({
      code: 'criterion-missing',
    });
    expect(
      throws(() => decideWeeklyPlan(score('2026-W06', 80, 101), fold(summarized), manager())),
    ).toMatchObject({
      code: 'out-of-scale',
      issues: [{ path: 'ratings.1.score' }],
    });
    const hr: WeeklyPlanContext = { ...contextFor('hr'), cycle, workflow };
    const rescored = run(
      [
        [score('2026-W06', 80, 80), manager()],
        [score('2026-W06', 90, 90), hr],
      ],
      summarized,
    );
    expect(fold(rescored)).toMatchObject({ status: 'scored', score: '90.00' });
  });
});
