import type { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import type { Pool } from 'pg';
import { AGGREGATES, sales4232Workflow } from '@verity/domain';
import { PostgresEventStore, streamName, type EventStore } from '@verity/event-store';
import { PG_POOL, type Config } from '@verity/platform';
import { scoreProjection } from '@verity/projections';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import { twoLineWeeklyPlans } from '@verity/domain/testing/behaviour-workflow';
import { workedActuals, workedAttachments } from '@verity/domain/testing/appraisal-scenario';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { startTestApi } from '../testing/api-test-kit';
import { setUpTenant, type TenantFixture } from '../testing/tenant-fixture';

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
  let app: INestApplication;
  let config: Config;
  let t: TenantFixture;
  let pool: Pool;
  let store: EventStore;

  beforeAll(async () => {
    ({ app, config } = await startTestApi());
    pool = app.get<Pool>(PG_POOL);
    store = app.get(EVENT_STORE);
    t = await setUpTenant(app, config, TENANT, { workflow });
  });
  afterAll(() => app.close());

  const post = (who: keyof TenantFixture['headers'], path: string, body: object = {}) =>
    t.http().post(path).set(t.headers[who]).send(body);
  const ratings = (reporting: number, execution: number) => ({
    ratings: [
      { criterionId: 'reporting', score: reporting },
      { criterionId: 'execution', score: execution },
    ],
  });
  const summary = { results: [{ itemId: 'visit', done: true }], summary: 'Visited' };
  const item = [{ itemId: 'visit', kind: 'action', text: 'Visit a distributor' }];

  async function scoredWeek(week: string, reporting: number, execution: number) {
    const at = `/weekly-plans/e-ann.${week}`;
    t.ok(
      await post('ann', `${at}/submit`, { employeeId: 'e-ann', cycleId: 'c2025', week, items: item }),
      week,
    );
    t.ok(await post('ann', `${at}/summary`, summary), `${week} summary`);
    t.ok(await post('mgr', `${at}/score`, ratings(reporting, execution)), `${week} score`);
  }
  async function scoredDay(date: string, reporting: number, execution: number) {
    const at = `/daily-plans/e-ann.${date}`;
    t.ok(
      await post('ann', `${at}/submit`, { employeeId: 'e-ann', cycleId: 'c2025', date, items: item }),
      date,
    );
    t.ok(await post('ann', `${at}/summary`, summary), `${date} summary`);
    return t.ok(await post('mgr', `${at}/score`, ratings(reporting, execution)), `${date} score`);
  }

  it("the days stand in for their week; the month's score, the score view and the read model show it", async () => {
    const appraisal = await t.appraisalOf('e-ann');
    await scoredWeek('2025-W06', 80, 90); // 0.4 · 80 + 0.6 · 90 = 86
    await scoredWeek('2025-W07', 50, 50); // 50, replaced by its days
    await scoredDay('2025-02-10', 70, 80); // 0.4 · 70 + 0.6 · 80 = 76
    const scoredDay11 = await scoredDay('2025-02-11', 90, 90); // 90
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

    const send = async (who: keyof TenantFixture['headers'], command: string, body: object = {}) =>
      t.ok(await post(who, `/appraisals/${appraisal}/${command}`, body), command);
    await send('ann', 'submit-plan');
    await send('mgr', 'approve-plan');
    await send('ann', 'file-period-review', {
      periodId: '2025-02',
      actuals: workedActuals,
      attachments: workedAttachments,
    });
    await send('mgr', 'assess-period-review', { periodId: '2025-02', corrections: [] });
    await send('mgr', 'score-period', { periodId: '2025-02' });

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
    await new ConsumerPump(pool, new PostgresEventStore(pool), scoreProjection, [t.tenant]).drain();
    const report = t.ok(
      await t.http().get('/reports/scores?cycleId=c2025&periodId=2025-02').set(t.headers.hr),
      'report',
    );
    expect(
      (parse(report.text, { columns: true }) as Record<string, string>[]).map((row) => [
        row.employee,
        row.score,
        row['behaviour score'],
      ]),
    ).toEqual([['e-ann', '86.74', '84.50']]);
  });
});
