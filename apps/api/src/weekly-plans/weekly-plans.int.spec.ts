import { AGGREGATES } from '@verity/domain';
import { salesWithTwoLineRubric as workflow } from '@verity/domain/testing/behaviour-workflow';
import { streamName, type EventStore } from '@verity/event-store';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { rubricRatings } from '../testing/rubric-ratings';
import { scoreReportLines } from '../testing/score-report';
import { tenantOnTestApi, type TenantFixture } from '../testing/tenant-fixture';
import { WeeklyPlansResponse } from './read-weekly-plans/weekly-plans.response';

const TENANT = 'weekly-a';

/**
 * Ann's weeks of February 2025 (ISO weeks 6–9, their Thursdays in February), planned against her
 * target of the cycle's tree, summarized, annotated and scored by her manager: the month's behaviour
 * score is the average of the four weeks, and counts 20 % in the month's score.
 */
describe('weekly plans over HTTP (submit, summary, annotations, score; GET /weekly-plans)', () => {
  const t = tenantOnTestApi(TENANT, { workflow });

  beforeAll(async () => {
    t.ok(await t.setTarget('company', null, 'company', TENANT, '12000'), 'company target');
    t.ok(await t.setTarget('sales', 'company', 'org-unit', 'sales', '12000'), 'unit target');
    t.ok(await t.setTarget('ann-sales', 'sales', 'person', 'e-ann', '12000'), 'person target');
  });

  const post = (who: keyof TenantFixture['headers'], week: string, action: string, body: object) =>
    t.http().post(`/weekly-plans/e-ann.${week}/${action}`).set(t.headers[who]).send(body);
  /** Ann's February 2025 of weekly plans, as `who` reads it. */
  const february = async (who: keyof TenantFixture['headers']) =>
    t.ok(await t.http().get('/weekly-plans?employeeId=e-ann&month=2025-02').set(t.headers[who]), 'GET weeks')
      .body;
  const plan = (week: string, extra: object = {}) => ({
    employeeId: 'e-ann',
    cycleId: 'c2025',
    week,
    items: [
      {
        itemId: 'sales',
        kind: 'number',
        text: 'Sell 250 units through the channel partners',
        targetId: 'ann-sales',
        planned: 250,
        externalRecords: [{ system: 'crm', recordId: 'cust-42', label: 'Huadong Trading' }],
      },
      { itemId: 'visit', kind: 'action', text: 'Visit the two largest distributors' },
    ],
    days: [{ date: '2025-02-03', itemIds: ['visit'], note: 'Shanghai' }],
    ...extra,
  });
  const summary = (week: string) => ({
    results: [
      { itemId: 'sales', actual: 240 },
      { itemId: 'visit', done: true },
    ],
    summary: `Summary of ${week}`,
  });
  /** Ann's four weeks of February as her manager rates them, and the score each week gets. */
  const februaryWeeks = [
    { week: '2025-W06', reporting: 70, execution: 90, score: '82.00' }, // 0.4·70 + 0.6·90
    { week: '2025-W07', reporting: 100, execution: 84, score: '90.40' },
    { week: '2025-W08', reporting: 75, execution: 75, score: '75.00' },
    { week: '2025-W09', reporting: 85, execution: 90, score: '88.00' },
  ];
  const weekScores = februaryWeeks.map(({ week, score }) => ({ week, score }));
  /** The weeks of a month as GET /weekly-plans answers them, each by its score. */
  const weekScoresOf = (month: { weeks: { week: string; score: string }[] }) =>
    month.weeks.map(({ week, score }) => ({ week, score }));

  it("four scored weeks give the month's behaviour score by the workflow's rule", async () => {
    // The week before (January's last) is summarized only: its summary shows beside week 6.
    t.ok(await post('ann', '2025-W05', 'submit', plan('2025-W05', { days: [] })), 'W05');
    t.ok(await post('ann', '2025-W05', 'summary', summary('2025-W05')), 'W05 summary');

    for (const { week, reporting, execution } of februaryWeeks) {
      const days = week === '2025-W06' ? {} : { days: [] };
      const submitted = t.ok(await post('ann', week, 'submit', plan(week, days)), `submit ${week}`);
      expect(submitted.status).toBe(201);
      t.ok(await post('ann', week, 'summary', summary(week)), `summary ${week}`);
      t.ok(
        await post('mgr', week, 'annotations', { itemId: 'sales', text: `Chase the order (${week})` }),
        'note',
      );
      t.ok(await post('mgr', week, 'annotations', { text: 'Good week overall' }), 'week note');
      const scored = t.ok(
        await post('mgr', week, 'score', rubricRatings(reporting, execution)),
        `score ${week}`,
      );
      expect(scored.body.events.map((event: { type: string }) => event.type)).toEqual(['WeekScored']);
    }

    const month = await february('mgr');
    // The answer is what OpenAPI describes, each week and item included.
    expect(WeeklyPlansResponse.safeParse(month).error?.issues).toBeUndefined();
    expect(weekScoresOf(month)).toEqual(weekScores);
    // (82.00 + 90.40 + 75.00 + 88.00) / 4
    expect(month.behaviourScore).toBe('83.85');
    expect(month.rule).toMatchObject({ monthRollUp: 'average', weightInMonthlyScore: '20' });
    const first = month.weeks[0];
    expect(first).toMatchObject({
      status: 'scored',
      lastWeekSummary: 'Summary of 2025-W05',
      summary: 'Summary of 2025-W06',
      annotations: [{ text: 'Good week overall', by: 'e-mgr' }],
      days: [{ date: '2025-02-03', itemIds: ['visit'], note: 'Shanghai' }],
      ratings: [
        { criterionId: 'reporting', score: '70' },
        { criterionId: 'execution', score: '90' },
      ],
    });
    expect(first.items[0]).toMatchObject({
      itemId: 'sales',
      text: 'Sell 250 units through the channel partners',
      targetId: 'ann-sales',
      indicatorId: 'sales_volume',
      planned: '250',
      actual: '240',
      externalRecords: [{ system: 'crm', recordId: 'cust-42', label: 'Huadong Trading' }],
      annotations: [{ text: 'Chase the order (2025-W06)' }],
    });
    expect(month.weeks[1].lastWeekSummary).toBe('Summary of 2025-W06');
    // Not yet scored as a month: no monthly score to weigh.
    expect([month.periodScore, month.monthlyScore]).toEqual([null, null]);
  });

  it("counts the behaviour score in the month's score at the workflow's weight", async () => {
    const appraisal = await t.appraisalOf('e-ann');
    // The worked example of DOMAIN.md: 87.30 for the month.
    await t.planApprovedAndMonthScored(appraisal, '2025-02');

    // The stored period score holds the behaviour part (ADR 0131): the weeks read, their roll-up and
    // weight, and the scorecard's own score; the month's score, grade and running score follow it.
    const view = t.ok(
      await t.http().get(`/scores/appraisals/${appraisal}`).set(t.headers.hr),
      'score view',
    ).body;
    expect(view.periods).toHaveLength(1);
    expect(view.periods[0]).toMatchObject({
      periodId: '2025-02',
      raw: '87.3',
      score: '86.61',
      behaviour: {
        weeks: weekScores,
        rollUp: 'average',
        score: '83.85',
        weight: '20',
        scorecardScore: '87.30',
      },
    });
    expect(view.runningScore).toBe('86.61');
    // Recomputed under the same version, the month weighs the weeks it recorded: no difference.
    const whatIf = t.ok(
      await t
        .http()
        .get(`/scores/appraisals/${appraisal}/what-if?periodId=2025-02&workflowVersion=1`)
        .set(t.headers.hr),
      'what-if',
    ).body;
    expect([
      whatIf.recorded.score,
      whatIf.whatIf.score,
      whatIf.whatIf.behaviour.score,
      whatIf.difference,
    ]).toEqual(['86.61', '86.61', '83.85', '0']);

    // The score report reads the read model (pumped here as the worker would): the behaviour column.
    const lines = await scoreReportLines(t, 'cycleId=c2025&periodId=2025-02');
    expect(
      lines.map((row) => [row.employee, row.score, row['behaviour score'], row['behaviour weight']]),
    ).toEqual([['e-ann', '86.61', '83.85', '20']]);

    const month = await february('ann');
    // 0.8 · 87.30 + 0.2 · 83.85 = 69.84 + 16.77
    expect([month.periodScore, month.behaviourScore, month.monthlyScore, month.behaviourStale]).toEqual([
      '87.30',
      '83.85',
      '86.61',
      false,
    ]);

    // A week scored again after the month: the stored month no longer matches its weeks, and says so.
    t.ok(await post('mgr', '2025-W08', 'score', rubricRatings(95, 95)), 'rescore W08');
    const after = await february('ann');
    // The week names Ann's appraisal: the worker's behaviour-rescoring rescores the month from it
    // (apps/worker/src/process-managers/process-managers.int.spec.ts); this test runs no worker.
    const w08 = await t.app
      .get<EventStore>(EVENT_STORE)
      .readStream(streamName(AGGREGATES.weeklyPlan, t.tenant, 'e-ann.2025-W08'));
    expect(w08.at(-1)).toMatchObject({
      type: 'WeekScored',
      data: { appraisalId: appraisal, score: '95.00' },
    });
    // (82.00 + 90.40 + 95.00 + 88.00) / 4 = 88.85; the stored month still counts 83.85.
    expect([after.behaviourScore, after.monthlyScore, after.behaviourStale]).toEqual([
      '88.85',
      '86.61',
      true,
    ]);
    // Scored back as it was: the weeks match the stored month again.
    t.ok(await post('mgr', '2025-W08', 'score', rubricRatings(75, 75)), 'W08 back');
    const back = await february('ann');
    expect([back.behaviourScore, back.behaviourStale]).toEqual(['83.85', false]);
  });

  it('POST /appraisals/{id}/rescore-behaviour: the manager chain or HR rescores the month by hand; after the annual score the year is stale until scored again', async () => {
    const appraisal = await t.appraisalOf('e-ann');
    const rescore = (who: keyof TenantFixture['headers'], body: object) =>
      t.http().post(`/appraisals/${appraisal}/rescore-behaviour`).set(t.headers[who]).send(body);
    t.ok(await post('mgr', '2025-W08', 'score', rubricRatings(95, 95)), 'W08 again');
    expect((await february('hr')).behaviourStale).toBe(true);

    const missing = await rescore('mgr', {});
    expect([missing.status, missing.body.errors.map((e: { path: string }) => e.path)]).toEqual([
      400,
      ['periodId'],
    ]);
    const notScored = await rescore('mgr', { periodId: '2025-03' });
    expect(notScored.status).toBe(422);
    expect(notScored.headers['content-type']).toContain('application/problem+json');
    expect(notScored.body).toMatchObject({
      code: 'period-not-scored',
      path: 'periodId',
      rule: 'period-scored',
    });
    for (const who of ['ann', 'bob', 'zed'] as const)
      expect([who, (await rescore(who, { periodId: '2025-02' })).status]).toEqual([who, 403]);

    // Ann's skip-level manager: (82.00 + 90.40 + 95.00 + 88.00) / 4 = 88.85; 0.8 · 87.30 + 0.2 · 88.85 = 87.61.
    const done = t.ok(await rescore('boss', { periodId: '2025-02' }), 'rescore by the skip level');
    expect(done.status).toBe(200);
    expect(done.body.events.map((event: { type: string }) => event.type)).toEqual(['PeriodScored']);
    const month = (await t.http().get(`/scores/appraisals/${appraisal}`).set(t.headers.hr)).body.periods.find(
      (period: { periodId: string }) => period.periodId === '2025-02',
    );
    expect(month).toMatchObject({ score: '87.61', behaviour: { score: '88.85', scorecardScore: '87.30' } });
    expect([(await february('hr')).monthlyScore, (await february('hr')).behaviourStale]).toEqual([
      '87.61',
      false,
    ]);

    // Writers at once: each is recorded or refused with 409, none lost and none a 500.
    const store = t.app.get<EventStore>(EVENT_STORE);
    const stream = streamName(AGGREGATES.appraisal, t.tenant, appraisal);
    const rescoresIn = async () =>
      (await store.readStream(stream)).filter((event) => event.type === 'PeriodScored').length;
    const before = await rescoresIn();
    const racing = await Promise.all(
      (['mgr', 'hr', 'boss', 'mgr'] as const).map((who) => rescore(who, { periodId: '2025-02' })),
    );
    const statuses = racing.map((response) => response.status);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    for (const refused of racing.filter((response) => response.status === 409))
      expect(refused.headers['content-type']).toContain('application/problem+json');
    expect((await rescoresIn()) - before).toBe(statuses.filter((status) => status === 200).length);

    // The year scored, then a week scored late and its month rescored: the annual result is stale.
    const send = (who: keyof TenantFixture['headers'], command: string, body: object = {}) =>
      t.send(who, appraisal, command, body);
    await send('ann', 'submit-self-assessment', { rating: 90 });
    await send('mgr', 'submit-rating', { group: 'manager', rating: 80 });
    await send('bob', 'submit-rating', { group: 'peer', rating: 70 });
    await send('cai', 'submit-rating', { group: 'peer', rating: 90 });
    await t.waiveUnscored(appraisal);
    await send('hr', 'score-appraisal');
    const scoreView = async () =>
      t.ok(await t.http().get(`/scores/appraisals/${appraisal}`).set(t.headers.hr), 'score view').body;
    const scored = await scoreView();
    expect(scored.stale).toBeNull();

    t.ok(await post('mgr', '2025-W08', 'score', rubricRatings(75, 75)), 'W08 late');
    t.ok(await rescore('hr', { periodId: '2025-02' }), 'rescore after the annual score');
    const stale = await scoreView();
    expect(stale.stale.reasons).toEqual([
      { cause: 'period-rescored', periodId: '2025-02', from: '87.61', to: '86.61', at: expect.any(String) },
    ]);
    expect(stale.annualScore).toBe(scored.annualScore);
    const refused = await t
      .http()
      .post(`/appraisals/${appraisal}/finalize-appraisal`)
      .set(t.headers.hr)
      .send({});
    expect([refused.status, refused.body.code]).toEqual([422, 'score-stale']);

    // Scored again (by HR here; the worker's annual-scoring does it on the PeriodScored): fresh, finalizable.
    await send('hr', 'score-appraisal');
    const fresh = await scoreView();
    expect(fresh.stale).toBeNull();
    expect(fresh.annualScore).not.toBe(scored.annualScore);
    await send('hr', 'finalize-appraisal');
  });

  it('refuses bad input by field and rule, others’ plans, and strangers', async () => {
    const bad = await post(
      'ann',
      '2025-W10',
      'submit',
      plan('2025-W10', { items: [{ itemId: 'x', kind: 'number' }] }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path)).toContain('items.0.text');
    const weekDay = await post('ann', '2025-W10', 'submit', plan('2025-W10'));
    expect([weekDay.status, weekDay.body.code]).toEqual([400, 'day-outside-week']);
    const notMine = await post('bob', '2025-W10', 'submit', plan('2025-W10', { days: [] }));
    expect([notMine.status, notMine.body.code]).toEqual([400, 'own-plan-only']);
    const otherTarget = await post(
      'ann',
      '2025-W10',
      'submit',
      plan('2025-W10', {
        days: [],
        items: [{ itemId: 'x', kind: 'number', text: 'x', targetId: 'sales', planned: 1 }],
      }),
    );
    expect([otherTarget.status, otherTarget.body.code]).toEqual([400, 'not-own-target']);
    const peerNote = await post('zed', '2025-W06', 'annotations', { text: 'Not my team' });
    expect([peerNote.status, peerNote.body.code]).toEqual([403, 'relation-not-allowed']);
    const missing = await post('mgr', '2025-W11', 'score', rubricRatings(80, 80));
    expect(missing.status).toBe(404);
    const stranger = await t.http().get('/weekly-plans?employeeId=e-ann&month=2025-02').set(t.headers.bob);
    expect(stranger.status).toBe(404);
    const badMonth = await t.http().get('/weekly-plans?employeeId=e-ann&month=2025-13').set(t.headers.hr);
    expect([badMonth.status, badMonth.body.errors[0].path]).toEqual([400, 'month']);
  });

  it("shows an auditor the scores but not the person's words", async () => {
    const month = await february('auditor');
    // Hidden words are nulls the description allows.
    expect(WeeklyPlansResponse.safeParse(month).error?.issues).toBeUndefined();
    expect(month.behaviourScore).toBe('83.85');
    expect(month.weeks[0]).toMatchObject({ summary: null, lastWeekSummary: null, score: '82.00' });
    expect(month.weeks[0].items[0]).toMatchObject({
      text: null,
      planned: '250',
      annotations: [{ text: null }],
    });
    expect(JSON.stringify(month)).not.toMatch(/Huadong|Shanghai|Chase the order|Summary of/);
  });

  it("after erasure the weeks keep their figures and scores, and none of the person's words", async () => {
    await t.erase('e-ann');
    const month = await february('hr');
    expect(weekScoresOf(month)).toEqual(weekScores);
    expect(month.behaviourScore).toBe('83.85');
    expect(month.weeks[0].items[0]).toMatchObject({ text: null, planned: '250', actual: '240' });
    expect(JSON.stringify(month)).not.toMatch(/Huadong|Shanghai|Chase the order|Summary of|Sell 250/);
  });
});
