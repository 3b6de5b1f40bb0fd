import {
  dailyPlanDecider,
  decideDailyPlan,
  evolveDailyPlan,
  initialDailyPlanState,
  type DailyPlanCommand,
  type DailyPlanContext,
  type DailyPlanEvent,
  type WeeklyPlan,
} from '../index';
import { pinnedV1 } from '../testing/appraisal-scenario';
import { annPlanning, annsManager } from '../testing/behaviour-workflow';
import { decideInTurn } from '../testing/specification';

/** Ann's plan of 2026-W06 (2–8 February): a visit to plan day by day. */
const week: WeeklyPlan = {
  status: 'planned',
  planId: 'ann.2026-W06',
  employeeId: 'ann',
  cycleId: 'c2026',
  week: '2026-W06',
  month: '2026-02',
  planVersion: 1,
  items: [
    {
      itemId: 'visit',
      kind: 'action',
      targetId: null,
      indicatorId: null,
      planned: null,
      externalRecords: [],
    },
  ],
  annotations: 0,
  score: null,
};

const ann = (extra: Partial<DailyPlanContext> = {}): DailyPlanContext => ({
  ...annPlanning(),
  week,
  ...extra,
});
const manager = (): DailyPlanContext => annsManager(['n-1']);

const run = (steps: [DailyPlanCommand, DailyPlanContext][], given: DailyPlanEvent[] = []) =>
  decideInTurn(dailyPlanDecider, steps, given);
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    const { code, issues } = error as { code: string; issues?: { path: string }[] };
    return { code, path: issues?.[0]?.path };
  }
  throw new Error('expected a refusal');
};

const submit = (data: Partial<Extract<DailyPlanCommand, { type: 'SubmitDailyPlan' }>['data']> = {}) =>
  ({
    type: 'SubmitDailyPlan',
    data: {
      planId: 'ann.2026-02-03',
      employeeId: 'ann',
      cycleId: 'c2026',
      date: '2026-02-03',
      items: [
        { itemId: 'calls', kind: 'number', text: 'Call ten customers', planned: '10', externalRecords: [] },
        {
          itemId: 'visit-sh',
          kind: 'action',
          text: 'Visit the Shanghai distributor',
          weekItemId: 'visit',
          externalRecords: [{ system: 'crm', recordId: 'cust-42', label: 'Huadong Trading' }],
        },
      ],
      ...data,
    },
  }) as DailyPlanCommand;

/** The superior's rating of the day on the rubric's two lines. */
const scoreDay = (reporting: number, execution: number): DailyPlanCommand => ({
  type: 'ScoreDay',
  data: {
    planId: 'ann.2026-02-03',
    ratings: [
      { criterionId: 'reporting', score: reporting },
      { criterionId: 'execution', score: execution },
    ],
  },
});

describe('daily plans (ADR 0154): a day planned, summarized, annotated and scored as a week is', () => {
  it('records the day with its week and month, the words under pii, and scores it on the rubric', () => {
    const events = run([
      [submit(), ann()],
      [
        {
          type: 'SummarizeDay',
          data: {
            planId: 'ann.2026-02-03',
            results: [
              { itemId: 'calls', actual: 8 },
              { itemId: 'visit-sh', done: true },
            ],
            summary: 'Two calls moved to Wednesday',
          },
        },
        ann(),
      ],
      [
        {
          type: 'AnnotateDailyPlan',
          data: { planId: 'ann.2026-02-03', itemId: 'calls', text: 'Call early' },
        },
        manager(),
      ],
      [scoreDay(70, 90), manager()],
    ]);
    expect(events.map((event) => event.type)).toEqual([
      'DailyPlanSubmitted',
      'DaySummarized',
      'DailyPlanAnnotated',
      'DayScored',
    ]);
    const [submitted, , annotated, scored] = events;
    expect(submitted.data).toMatchObject({
      week: '2026-W06',
      month: '2026-02',
      planVersion: 1,
      items: [
        { itemId: 'calls', planned: '10', weekItemId: null },
        {
          itemId: 'visit-sh',
          weekItemId: 'visit',
          externalRecords: [{ system: 'crm', recordId: 'cust-42' }],
        },
      ],
      pii: {
        items: [
          { itemId: 'calls', text: 'Call ten customers', recordLabels: [] },
          { itemId: 'visit-sh', recordLabels: [{ recordId: 'cust-42', label: 'Huadong Trading' }] },
        ],
      },
    });
    expect(JSON.stringify((submitted.data as { items: unknown }).items)).not.toContain('Huadong');
    expect(annotated.data).toMatchObject({
      annotationId: 'n-1',
      itemId: 'calls',
      pii: { text: 'Call early' },
    });
    // 0.4 · 70 + 0.6 · 90, as a week's score is computed
    expect(scored.data).toMatchObject({ week: '2026-W06', score: '82.00', workflowVersion: 1 });
    expect(events.reduce(evolveDailyPlan, initialDailyPlanState())).toMatchObject({
      status: 'scored',
      annotations: 1,
      score: '82.00',
    });
  });

  it('refuses, naming the field: another plan id, a day outside the cycle, a week item not planned, a figure on an action', () => {
    const decide =
      (command: DailyPlanCommand, ctx = ann()) =>
      () =>
        decideDailyPlan(command, initialDailyPlanState(), ctx);
    expect(refusal(decide(submit({ planId: 'ann.2026-02-04' })))).toEqual({
      code: 'plan-id',
      path: 'planId',
    });
    expect(refusal(decide(submit({ date: '2027-01-04', planId: 'ann.2027-01-04' })))).toEqual({
      code: 'day-outside-cycle',
      path: 'date',
    });
    expect(refusal(decide(submit(), ann({ week: { status: 'empty' } })))).toEqual({
      code: 'week-not-planned',
      path: 'items.1.weekItemId',
    });
    const otherItem = submit();
    (otherItem.data as { items: { weekItemId?: string }[] }).items[1].weekItemId = 'lunch';
    expect(refusal(decide(otherItem))).toEqual({ code: 'week-item-not-found', path: 'items.1.weekItemId' });
    const figured = submit();
    (figured.data as { items: { planned?: string }[] }).items[1].planned = '3';
    expect(refusal(decide(figured))).toEqual({ code: 'action-has-no-figure', path: 'items.1.planned' });
    expect(refusal(decide(submit(), { ...ann(), actor: { ...ann().actor, employeeId: 'bob' } }))).toEqual({
      code: 'own-plan-only',
      path: 'employeeId',
    });
    expect(refusal(decide(submit(), ann({ workflow: pinnedV1 })))).toEqual({
      code: 'weekly-plans-not-enabled',
      path: undefined,
    });
  });

  it('a summarized day is final for its planner; it is scored only once summarized, by the superior', () => {
    const planned = run([[submit(), ann()]]);
    const score = scoreDay(70, 70);
    expect(refusal(() => run([[score, manager()]], planned))).toMatchObject({ code: 'day-not-summarized' });
    expect(refusal(() => run([[score, ann()]], planned))).toMatchObject({ code: 'relation-not-allowed' });
    const summarized = run(
      [[{ type: 'SummarizeDay', data: { planId: 'ann.2026-02-03', results: [], summary: 'Done' } }, ann()]],
      planned,
    );
    expect(refusal(() => run([[submit(), ann()]], summarized))).toMatchObject({ code: 'day-summarized' });
    // Revised before the summary: a new version.
    expect(run([[submit(), ann()]], planned).at(-1)!.data).toMatchObject({ planVersion: 2 });
  });
});
