import { AGGREGATES, sales4232Workflow } from '@verity/domain';
import { streamName, type EventStore } from '@verity/event-store';
import { twoLineWeeklyPlans } from '@verity/domain/testing/behaviour-workflow';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { rubricRatings } from '../testing/rubric-ratings';
import { scoreReportLines } from '../testing/score-report';
import { tenantOnTestApi } from '../testing/tenant-fixture';

const TENANT = 'daily-roll-up';
/**
 * The sales workflow with weekly plans (reporting 40 %, execution 60 %, weeks averaged, 20 % of the
 * month) asking for daily plans, whose days count in their week (ADR 0161, `average-of-days`).
 */
const workflow = {
  ...sales4232Workflow,
  weeklyPlans: twoLineWeeklyPlans,
  dailyPlans: { weekScore: 'average-of-days' },
};

/**
 * Ann's February 2025 with days (ADR 0161): week 6 is scored as a whole (86) and has no scored day;
 * week 7 is scored as a whole (50) but also has two scored days (76 and 90), which stand in for it:
 * (76 + 90) / 2 = 83. The month's behaviour score is (86 + 83) / 2 = 84.50, and the month scores
 * 0.8 · 87.30 + 0.2 · 84.50 = 69.84 + 16.90 = 86.74, in the score view and the score read model.
 */
describe("a day's score counts in the month's behaviour score when the workflow asks for days", () => {
  const t = tenantOnTestApi(TENANT, { workflow });
  let store: EventStore;

  beforeAll(() => {
    store = t.app.get(EVENT_STORE);
  });

  const summary = { results: [{ itemId: 'visit', done: true }], summary: 'Visited' };
  const item = [{ itemId: 'visit', kind: 'action', text: 'Visit a distributor' }];

  /** Ann's plan of a week or a day submitted, summarized and scored by her manager on the rubric. */
  async function scoredPlan(of: { week: string } | { date: string }, reporting: number, execution: number) {
    const [plans, key] = 'week' in of ? ['weekly-plans', of.week] : ['daily-plans', of.date];
    const at = `/${plans}/e-ann.${key}`;
    await t.postOk('ann', `${at}/submit`, { employeeId: 'e-ann', cycleId: 'c2025', ...of, items: item }, key);
    await t.postOk('ann', `${at}/summary`, summary, `${key} summary`);
    return t.postOk('mgr', `${at}/score`, rubricRatings(reporting, execution), `${key} score`);
  }

  it("the days stand in for their week; the month's score, the score view and the read model show it", async () => {
    const appraisal = await t.appraisalOf('e-ann');
    await scoredPlan({ week: '2025-W06' }, 80, 90); // 0.4 · 80 + 0.6 · 90 = 86
    await scoredPlan({ week: '2025-W07' }, 50, 50); // 50, replaced by its days
    await scoredPlan({ date: '2025-02-10' }, 70, 80); // 0.4 · 70 + 0.6 · 80 = 76
    const scoredDay11 = await scoredPlan({ date: '2025-02-11' }, 90, 90); // 90
    // The workflow asks for days: the day's events name Ann's appraisal (its steps and rescoring follow).
    expect(scoredDay11.body.events.map((event: { type: string }) => event.type)).toEqual(['DayScored']);
    const dayStream = await store.readStream(streamName(AGGREGATES.dailyPlan, TENANT, 'e-ann.2025-02-11'));
    expect(
      dayStream.map((event) => [event.type, (event.data as { appraisalId?: string }).appraisalId]),
    ).toEqual([
      ['DailyPlanSubmitted', undefined],
      ['DaySummarized', appraisal],
      ['DayScored', appraisal],
    ]);

    await t.planApprovedAndMonthScored(appraisal, '2025-02');

    const view = t.ok(
      await t.http().get(`/scores/appraisals/${appraisal}`).set(t.headers.hr),
      'score view',
    ).body;
    expect(view.periods[0]).toMatchObject({
      periodId: '2025-02',
      score: '86.74',
      behaviour: {
        weeks: [
          { week: '2025-W06', score: '86.00' },
          { week: '2025-W07', score: '83.00', days: 2 },
        ],
        rollUp: 'average',
        score: '84.50',
        weight: '20',
        scorecardScore: '87.30',
      },
    });
    expect(view.periods[0].behaviour.weeks[0]).not.toHaveProperty('days');

    // The month's page of weekly plans weighs the weeks as the scoring did: nothing stale.
    const month = t.ok(
      await t.http().get('/weekly-plans?employeeId=e-ann&month=2025-02').set(t.headers.ann),
      'GET weeks',
    ).body;
    expect([month.behaviourScore, month.monthlyScore, month.behaviourStale]).toEqual([
      '84.50',
      '86.74',
      false,
    ]);

    // The score read model (pumped as the worker would) carries the same month and behaviour score.
    const lines = await scoreReportLines(t, 'cycleId=c2025&periodId=2025-02');
    expect(lines.map((row) => [row.employee, row.score, row['behaviour score']])).toEqual([
      ['e-ann', '86.74', '84.50'],
    ]);
  });
});
