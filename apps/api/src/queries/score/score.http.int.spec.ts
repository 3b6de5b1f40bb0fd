import type { Pool } from 'pg';
import { PostgresEventStore } from '@verity/event-store';
import { PG_POOL } from '@verity/platform';
import { SCORE_TABLES, scoreProjection } from '@verity/projections';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import { readModelRows } from '@verity/projections/testing/read-model-rows';
import { catchUpProcessManagers } from '../../../../worker/src/process-managers/testing/catch-up';
import { EVENT_STORE } from '../../event-store/event-store.provider';
import { tenantOnTestApi, setUpTenant, type TenantFixture } from '../../testing/tenant-fixture';
import { salesWeighing } from '../../testing/workflow-drafts';
import {
  ScoreListResponse,
  ScoreViewResponse,
  UnitScoresResponse,
  WhatIfPeriodResponse,
} from './score.response';

/** Scores over HTTP, from the read model fed by the real store (the worker's job, pumped here). */
describe('GET /scores', () => {
  let pool: Pool;
  let other: TenantFixture;
  let ann: string;
  let bob: string;
  let scoredAt: string;

  const catchUp = async () => {
    const store = new PostgresEventStore(pool);
    await new ConsumerPump(pool, store, scoreProjection, [t.tenant, other.tenant]).drain();
  };
  const get = (who: keyof TenantFixture['headers'], path: string, fixture: TenantFixture = t) =>
    fixture.http().get(path).set(fixture.headers[who]);

  const t = tenantOnTestApi('score-q');

  beforeAll(async () => {
    pool = t.app.get<Pool>(PG_POOL);
    other = await setUpTenant(t.app, t.config, 'score-q-other');
    ann = await t.appraisalOf('e-ann');
    bob = await t.appraisalOf('e-bob');
    await other.appraisalOf('e-ann');
    await t.planApprovedAndMonthAssessed(ann, '2025-01');
    // The last moment before January is scored, for the as-of test.
    scoredAt = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await t.send('mgr', ann, 'score-period', { periodId: '2025-01' });
    // v2 weighs sales volume 70 and the others 10 each: the what-if must differ from the recorded 87.30.
    const v2 = salesWeighing((indicator) => (indicator.id === 'sales_volume' ? 70 : 10));
    t.ok(
      await t.http().post('/workflows/sales-4232/versions').set(t.headers.owner).send({ definition: v2 }),
      'publish v2',
    );
    await catchUp();
  });

  it("serves an appraisal's score to the appraisee, their managers and the audit roles only", async () => {
    const mine = await get('ann', `/scores/appraisals/${ann}`).expect(200);
    const january = mine.body.periods.find((p: { periodId: string }) => p.periodId === '2025-01');
    expect([january.score, january.grade, january.bonusCoefficient, january.vetoed]).toEqual([
      '87.30',
      'B',
      '0',
      true,
    ]);
    expect(january.indicators.map((i: { score: string }) => i.score)).toEqual(['90', '84', '110', '72']);
    expect([mine.body.runningScore, mine.body.runningGrade]).toEqual(['87.30', 'B']);
    // camelCase throughout, as every other response of the API.
    expect(Object.keys(mine.body)).toEqual([
      'appraisalId',
      'cycleId',
      'subjectKind',
      'employeeId',
      'orgUnitId',
      'workflowId',
      'workflowVersion',
      'status',
      'periodsScored',
      'runningScore',
      'runningGrade',
      'annualScore',
      'annualGrade',
      'bonusCoefficient',
      'calibration',
      'adjustments',
      'revision',
      'updatedAt',
      'stale',
      'periods',
      'vetoes',
      'redLines',
      'asOf',
    ]);
    expect(Object.keys(january)).toEqual([
      'periodId',
      'workflowVersion',
      'aggregation',
      'raw',
      'score',
      'grade',
      'bonusCoefficient',
      'vetoed',
      'scoredAt',
      'indicators',
      'behaviour',
    ]);
    // A workflow without weekly plans: no behaviour part (ADR 0131).
    expect(january.behaviour).toBeNull();
    expect(mine.body.vetoes).toEqual([
      {
        periodId: '2025-01',
        indicatorId: 'product_mix',
        indicatorName: 'Product-mix sales (结构品种销量)',
        state: 'breached',
        actual: '330',
        target: '400',
        vetoValue: '340',
        percentOfTarget: '82.5',
        effect: { type: 'bonus-zero' },
      },
    ]);
    for (const who of ['mgr', 'boss', 'hr', 'auditor', 'owner'] as const)
      await get(who, `/scores/appraisals/${ann}`).expect(200);
    for (const who of ['zed', 'bob'] as const) await get(who, `/scores/appraisals/${ann}`).expect(404);
    await get('hr', `/scores/appraisals/${ann}`, other).expect(404);
  });

  it('lists scores: everyone for HR, the reports for a manager, oneself for an employee', async () => {
    const ids = async (who: keyof TenantFixture['headers']) =>
      (await get(who, '/scores').expect(200)).body.items
        .map((i: { appraisalId: string }) => i.appraisalId)
        .sort();
    // The cycle opened one appraisal for each of sales: the manager and her three reports.
    const [mgr, cai] = [await t.appraisalOf('e-mgr'), await t.appraisalOf('e-cai')];
    expect(await ids('hr')).toEqual([mgr, ann, bob, cai].sort());
    expect(await ids('mgr')).toEqual([mgr, ann, bob, cai].sort()); // her own and her reports'
    expect(await ids('boss')).toEqual([mgr, ann, bob, cai].sort());
    expect(await ids('ann')).toEqual([ann]);
    expect(await ids('zed')).toEqual([]);
    expect((await get('hr', '/scores', other).expect(200)).body.items).toHaveLength(4);
    // The answer is what the OpenAPI document (and the web app's generated types) says it is.
    expect(
      ScoreListResponse.safeParse((await get('hr', '/scores').expect(200)).body).error?.issues,
    ).toBeUndefined();
    await get('hr', '/scores?limit=0').expect(400);
  });

  it("gives a unit's distribution and calibration status, sub-units included", async () => {
    const hq = await get('hr', '/scores/org-units/hq').expect(200);
    expect(UnitScoresResponse.safeParse(hq.body).error?.issues).toBeUndefined();
    expect(hq.body.orgUnitIds).toEqual(expect.arrayContaining(['hq', 'sales']));
    expect(hq.body.appraisals).toBe(4);
    expect(hq.body.running.grades).toEqual([{ grade: 'B', count: 1 }]);
    expect(hq.body.calibration).toMatchObject({ status: 'not-started', notScored: 4 });
    expect((await get('hr', '/scores/org-units/hq?includeSubUnits=false').expect(200)).body.appraisals).toBe(
      0,
    );
    await get('ann', '/scores/org-units/sales').expect(403);
  });

  it("reads a unit's distribution to the heads of the unit's line whole, to other managers only for their own people", async () => {
    // mgr heads sales, boss heads hq above it: both read all four of sales, mgr's own among them.
    expect((await get('mgr', '/scores/org-units/sales').expect(200)).body.appraisals).toBe(4);
    expect((await get('boss', '/scores/org-units/sales').expect(200)).body.appraisals).toBe(4);
    expect((await get('boss', '/scores/org-units/hq').expect(200)).body.appraisals).toBe(4);
    // zed manages nobody in sales: the unit counts none of its people for him.
    expect((await get('zed', '/scores/org-units/sales').expect(200)).body.appraisals).toBe(0);
  });

  it('replays the score as of a past time or position, and refuses an ambiguous point', async () => {
    const before = await get('ann', `/scores/appraisals/${ann}/as-of?at=${scoredAt}`).expect(200);
    expect(before.body.periods.find((p: { periodId: string }) => p.periodId === '2025-01')).toBeUndefined();
    const now = await get('ann', `/scores/appraisals/${ann}/as-of?at=${new Date().toISOString()}`).expect(
      200,
    );
    expect(now.body.periods.find((p: { periodId: string }) => p.periodId === '2025-01').score).toBe('87.30');
    // The answer is what the OpenAPI document (and the web app's generated types) says it is.
    expect(ScoreViewResponse.safeParse(now.body).error?.issues).toBeUndefined();
    // As of now is the live score: one shape, the same answer.
    expect(now.body).toEqual((await get('ann', `/scores/appraisals/${ann}`).expect(200)).body);
    const events = (await get('hr', `/appraisals/${ann}/events?limit=500`).expect(200)).body.items;
    const scored = events.find((e: { type: string }) => e.type === 'PeriodScored');
    const at = await get('hr', `/scores/appraisals/${ann}/as-of?position=${scored.position}`).expect(200);
    expect(at.body.asOf).toEqual({
      position: scored.position,
      at: scored.recordedAt,
      replayed: events.indexOf(scored) + 1,
    });
    const latest = await get('hr', `/scores/appraisals/${ann}/as-of`).expect(200);
    expect(latest.body.asOf.replayed).toBe(events.length);
    await get('hr', `/scores/appraisals/${ann}/as-of?position=1`).expect(404);
    const both = await get(
      'hr',
      `/scores/appraisals/${ann}/as-of?at=${scoredAt}&position=${scored.position}`,
    ).expect(400);
    expect(both.body.errors[0].path).toBe('at');
    await get('hr', `/scores/appraisals/${ann}/as-of?at=yesterday`).expect(400);
    await get('zed', `/scores/appraisals/${ann}/as-of?at=${scoredAt}`).expect(404);
    await get('hr', `/scores/appraisals/nope/as-of?at=${scoredAt}`).expect(404);
  });

  it('recomputes a period under another workflow version and writes nothing', async () => {
    const before = await readModelRows(pool, [t.tenant], SCORE_TABLES);
    const response = await get(
      'hr',
      `/scores/appraisals/${ann}/what-if?periodId=2025-01&workflowVersion=2`,
    ).expect(200);
    expect(WhatIfPeriodResponse.safeParse(response.body).error?.issues).toBeUndefined();
    expect(response.body.recorded).toMatchObject({ workflowVersion: 1, score: '87.30' });
    // 0.7·90 + 0.1·84 + 0.1·110 + 0.1·72 = 89.60 under v2.
    expect(response.body.whatIf).toMatchObject({ workflowVersion: 2, score: '89.60' });
    expect(response.body.difference).toBe('2.3');
    await catchUp();
    expect(await readModelRows(pool, [t.tenant], SCORE_TABLES)).toEqual(before);
    await get('hr', `/scores/appraisals/${ann}/what-if?periodId=2025-01&workflowVersion=9`).expect(404);
    await get('hr', `/scores/appraisals/${ann}/what-if?periodId=2025-03&workflowVersion=2`).expect(422);
    await get('hr', `/scores/appraisals/${ann}/what-if?periodId=2025-01`).expect(400);
    await get('ann', `/scores/appraisals/${ann}/what-if?periodId=2025-01&workflowVersion=2`).expect(403);
  });

  it('says the annual score is stale and why after a red line, until the process manager re-scores it', async () => {
    await t.send('ann', ann, 'submit-self-assessment', { rating: 90 });
    await t.send('mgr', ann, 'submit-rating', { group: 'manager', rating: 80 });
    await t.send('bob', ann, 'submit-rating', { group: 'peer', rating: 70 });
    await t.send('cai', ann, 'submit-rating', { group: 'peer', rating: 90 });
    await t.waiveUnscored(ann);
    await t.send('hr', ann, 'score-appraisal');
    const scored = (await get('ann', `/scores/appraisals/${ann}`).expect(200)).body;
    expect(scored).toMatchObject({ status: 'scored', stale: null, redLines: [] });
    expect(scored.annualGrade).not.toBe('D');

    const filed = await t.send('hr', ann, 'file-red-line-breach', {
      redLineId: 'fraud',
      description: 'Invented orders',
    });
    const breachId = filed.body.events[0].breachId;
    const stale = (await get('mgr', `/scores/appraisals/${ann}`).expect(200)).body;
    // The grade recorded before the breach is still shown, marked stale, with the red line that made it so.
    expect(stale.annualGrade).toBe(scored.annualGrade);
    expect(stale.stale).toEqual({
      since: expect.any(String),
      reasons: [
        {
          cause: 'red-line-breached',
          breachId,
          redLineId: 'fraud',
          name: 'Falsified figures or fraud',
          at: expect.any(String),
        },
      ],
    });
    expect(stale.redLines).toEqual([
      expect.objectContaining({
        breachId,
        name: 'Falsified figures or fraud',
        state: 'breached',
        effect: { forceGrade: 'D', bonusCoefficient: '0' },
        applies: true,
      }),
    ]);
    const finalized = await t.http().post(`/appraisals/${ann}/finalize-appraisal`).set(t.headers.hr).send({});
    expect(finalized.body.code).toBe('score-stale');

    // Nobody re-scores by hand: the annual-scoring process manager does, and the marker goes.
    const fresh = async () => (await get('ann', `/scores/appraisals/${ann}`).expect(200)).body;
    await catchUpProcessManagers(
      t.app.get(EVENT_STORE),
      t.tenant,
      async () => (await fresh()).stale === null,
    );
    expect(await fresh()).toMatchObject({ annualGrade: 'D', bonusCoefficient: '0', stale: null });
    const asOfBreach = await get('ann', `/scores/appraisals/${ann}/as-of?at=${stale.asOf.at}`).expect(200);
    expect(asOfBreach.body).toEqual(stale);
  });
});
