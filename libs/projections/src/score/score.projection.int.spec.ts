import type { PoolClient } from 'pg';
import { inTransaction } from '@verity/platform';
import { ConsumerRunner, listParkedStreams, requestRebuild, type RecordedEvent } from '@verity/event-store';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import type { AppraisalEvent } from '@verity/domain';
import { AP, as, happyPath } from '@verity/domain/testing/appraisal-scenario';
import { storeOfThisFile } from '../../../../test/support/store-per-file';
import { eventually } from '../../../../test/support/eventually';
import { appraisalHistory, seededPick } from '../testing/appraisal-histories';
import { appendHistories, readModelRows } from '../testing/read-model-rows';
import {
  expectCrashedBatchRetried,
  expectRebuildEqualsIncremental,
  expectRowsOfTenantOnly,
  seededHistories,
  type ReadModel,
} from '../testing/projection-checks';
import { SCORE_TABLES, scoreProjection } from './score.projection';
import { listScores, readAppraisalScore, unitScores } from './score.queries';

const db = storeOfThisFile('score-projection-test', 6);

async function emptyAll(): Promise<void> {
  await inTransaction(db.pool, (tx) => scoreProjection.reset(tx));
  await db.pool.query("DELETE FROM consumer_checkpoints WHERE name = 'score'");
}
const readModel: ReadModel = { projection: scoreProjection, tables: SCORE_TABLES, empty: emptyAll };
let tenantCount = 0;
let s1 = '';
let s2 = '';
beforeEach(async () => {
  await emptyAll();
  // The log is not emptied between tests: each test writes under tenants of its own.
  s1 = `s${++tenantCount}`;
  s2 = `s${++tenantCount}`;
});

/** The happy path's events (appraisal `ap-1`) as the API would append them. */
async function appendHappyPath(tenantId: string): Promise<void> {
  const { annual } = happyPath();
  await appendHistories(db.store, tenantId, [
    {
      appraisalId: 'ap-1',
      history: annual.events.map((event) => ({
        event,
        at: '2026-02-03T09:00:00.000Z',
        actor: { id: 'u', role: 'hr' },
      })),
    },
  ]);
}

describe('score projection', () => {
  it("turns DOMAIN.md's worked example into indicator, veto, period, running and annual rows", async () => {
    await appendHappyPath(s1);
    await new ConsumerPump(db.pool, db.store, scoreProjection).drain(7);
    const score = await readAppraisalScore(db.pool, s1, 'ap-1');
    expect(score).not.toBeNull();
    const january = score!.periods.find((p) => p.periodId === '2026-01')!;
    // DOMAIN.md: 90 / 84 / 110 / 72, weighted 87.30, grade B, product mix vetoed → bonus 0.
    expect(january.indicators.map((i) => [i.indicatorId, i.actual, i.score, i.weight, i.veto])).toEqual([
      ['sales_volume', '950', '90', '40', 'none'],
      ['receivables', '2.2', '84', '20', 'none'],
      ['inventory', '450', '110', '15', 'none'],
      ['product_mix', '330', '72', '25', 'breached'],
    ]);
    expect(january.indicators.map((i) => i.contribution)).toEqual(['36.00', '16.80', '16.50', '18.00']);
    expect([january.score, january.grade, january.bonusCoefficient, january.vetoed]).toEqual([
      '87.30',
      'B',
      '0',
      true,
    ]);
    expect(score!.vetoes).toEqual([
      expect.objectContaining({
        periodId: '2026-01',
        indicatorId: 'product_mix',
        state: 'breached',
        percentOfTarget: '82.5',
      }),
    ]);
    const { state } = happyPath().annual;
    if (state.status === 'empty') throw new Error('the happy path has an appraisal');
    expect([score!.runningScore, score!.runningGrade, score!.periodsScored]).toEqual(['87.30', 'B', 1]);
    expect([score!.annualScore, score!.annualGrade, score!.bonusCoefficient]).toEqual([
      state.result!.score,
      state.result!.grade,
      state.result!.bonusCoefficient,
    ]);
    expect([score!.status, score!.calibration]).toEqual(['scored', 'to-calibrate']);
  });

  it('per unit: the distribution of grades and scores, forced-distribution violations and calibration status', async () => {
    const histories = Array.from({ length: 6 }, (_, i) => ({
      appraisalId: `u-${i}`,
      history: appraisalHistory({
        appraisalId: `u-${i}`,
        employeeId: `e-${i}`,
        orgUnitId: i < 4 ? 'east' : 'west',
        pick: seededPick(100 + i),
        maxPeriods: 3,
      }),
    }));
    await appendHistories(db.store, s1, histories);
    await new ConsumerPump(db.pool, db.store, scoreProjection).drain(50);
    const rows = await listScores(db.pool, s1, { orgUnitIds: ['east'] });
    expect(rows.map((r) => r.appraisalId).sort()).toEqual(['u-0', 'u-1', 'u-2', 'u-3']);
    const east = await unitScores(db.pool, s1, { orgUnitIds: ['east'] });
    expect(east.appraisals).toBe(4);
    const graded = rows.filter((r) => r.annualGrade !== null);
    expect(east.annual.count).toBe(graded.length);
    expect(east.annual.grades.reduce((n, g) => n + g.count, 0)).toBe(graded.length);
    for (const g of east.annual.grades)
      expect(g.count).toBe(graded.filter((r) => r.annualGrade === g.grade).length);
    expect(
      east.calibration.notScored +
        east.calibration.toCalibrate +
        east.calibration.adjusted +
        east.calibration.final,
    ).toBe(4);
    expect(east.running.count).toBe(
      rows.filter((r) => r.annualGrade === null && r.runningGrade !== null).length,
    );
    // Only the listed appraisees (a manager's reports) are counted when asked.
    const mine = await unitScores(db.pool, s1, { orgUnitIds: ['east'], employeeIds: ['e-0'] });
    expect(mine.appraisals).toBe(1);
  });

  it('reports forced-distribution violations and a complete calibration', async () => {
    // Two appraisals calibrated to A and finalized: 100 % A breaks "A at most 20 %" and "D at least 5 %".
    const jan = '2027-01-12T09:00:00.000Z';
    const finalized = happyPath()
      .annual.run(
        { type: 'CalibrateAppraisal', data: { appraisalId: AP, grade: 'A', reason: 'Unit calibration' } },
        as('hr', { now: jan }),
      )
      .run({ type: 'FinalizeAppraisal', data: { appraisalId: AP } }, as('hr', { now: jan }));
    for (const id of ['ap-1', 'ap-2'])
      await appendHistories(
        db.store,
        s1,
        [
          {
            appraisalId: id,
            history: finalized.events.map((event) => ({
              event: { ...event, data: { ...event.data, appraisalId: id } } as AppraisalEvent,
              at: jan,
              actor: { id: 'u-hr', role: 'hr' },
            })),
          },
        ],
        { withWorkflow: id === 'ap-1' },
      );
    await new ConsumerPump(db.pool, db.store, scoreProjection).drain();
    const unit = await unitScores(db.pool, s1, { orgUnitIds: ['east'] });
    expect(unit.calibration).toMatchObject({ status: 'complete', final: 2, adjusted: 0 });
    expect(unit.annual.grades).toEqual([{ grade: 'A', count: 2, percent: '100.00' }]);
    expect(unit.calibration.violations.map((v) => [v.grade, v.bound, v.actualPercent])).toEqual([
      ['A', 'max', '100.00'],
      ['D', 'min', '0.00'],
    ]);
    const one = await readAppraisalScore(db.pool, s1, 'ap-2');
    expect([one!.annualGrade, one!.adjustments, one!.status]).toEqual(['A', 1, 'finalized']);
  });

  it('skips an event whose stored data no longer matches its schema, and goes on with the others', async () => {
    const histories = ['ok', 'bad'].map((id, i) => ({
      appraisalId: id,
      history: appraisalHistory({
        appraisalId: id,
        employeeId: `e-${i}`,
        orgUnitId: 'east',
        pick: seededPick(i),
      }),
    }));
    await appendHistories(db.store, s1, histories);
    // Tampered in storage: the appraisal's opening lost its subject.
    await db.pool.query(
      `UPDATE events SET data = data - 'subject' WHERE stream_id = $1 AND stream_revision = 0`,
      [`appraisal-${s1}.bad`],
    );
    await new ConsumerPump(db.pool, db.store, scoreProjection).drain();
    expect((await listScores(db.pool, s1, {})).map((r) => r.appraisalId)).toEqual(['ok']);
  });

  it('returns nothing under the wrong tenant, even to queries without a tenant filter', async () => {
    await appendHappyPath(s1);
    await new ConsumerPump(db.pool, db.store, scoreProjection).drain();
    await expectRowsOfTenantOnly(db.pool, SCORE_TABLES, s1, s2);
    expect(await readAppraisalScore(db.pool, s2, 'ap-1')).toBeNull();
    expect(await listScores(db.pool, s2, {})).toEqual([]);
  });

  it('rolls back a batch that crashes half-way; the retry gives the rows of a run that never crashed', () =>
    expectCrashedBatchRetried(db.pool, db.store, s1, readModel));

  it('with the real runner: a batch that dies after its writes is retried, nothing doubled or lost', async () => {
    await appendHistories(db.store, s1, seededHistories('r', [3, 4]));
    await new ConsumerPump(db.pool, db.store, scoreProjection).drain(40);
    const clean = await readModelRows(db.pool, [s1], SCORE_TABLES);
    await emptyAll();
    let calls = 0;
    const errors: unknown[] = [];
    const handler = {
      ...scoreProjection,
      async handle(events: RecordedEvent[], tx: PoolClient) {
        await scoreProjection.handle(events, tx);
        if (++calls === 3) throw new Error('crash after the writes, before the commit');
      },
    };
    const runner = new ConsumerRunner({
      pool: db.pool,
      store: db.store,
      handler,
      batchSize: 40,
      onError: (e) => errors.push(e),
    });
    await runner.start();
    try {
      await runner.caughtUp();
    } finally {
      await runner.stop();
    }
    expect(errors).toHaveLength(1);
    expect(await readModelRows(db.pool, [s1], SCORE_TABLES)).toEqual(clean);
  });

  it('property: rebuilt in one batch equals incremental in random batches with redeliveries', () =>
    expectRebuildEqualsIncremental(db.pool, readModel, [
      'PeriodScored',
      'VetoBreached',
      'AppraisalScored',
      'AppraisalFinalized',
    ]));

  it('a live rebuild while events keep arriving ends where a projection that never rebuilt ends', async () => {
    let resets = 0;
    const handler = { ...scoreProjection, reset: (tx: PoolClient) => (resets++, scoreProjection.reset(tx)) };
    const runner = new ConsumerRunner({
      pool: db.pool,
      store: db.store,
      handler,
      batchSize: 25,
      idleDelayMs: { min: 2, max: 10 },
    });
    await runner.start();
    const histories = Array.from({ length: 8 }, (_, i) => ({
      appraisalId: `l-${i}`,
      history: appraisalHistory({
        appraisalId: `l-${i}`,
        employeeId: `e-${i}`,
        orgUnitId: i % 2 ? 'east' : 'west',
        pick: seededPick(7 * i),
      }),
    }));
    try {
      for (const [i, history] of histories.entries()) {
        await appendHistories(db.store, i % 2 ? 'l1' : 'l2', [history], { withWorkflow: i < 2 });
        if (i === 3) await requestRebuild(db.pool, 'score');
      }
      await runner.caughtUp();
      // The request may still be pending if it landed after the last batch: wait for it to be served.
      for (let i = 0; i < 200; i++) {
        const { rows } = await db.pool.query(
          "SELECT rebuild_requested FROM consumer_checkpoints WHERE name = 'score'",
        );
        if (!rows[0].rebuild_requested) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await runner.caughtUp();
    } finally {
      await runner.stop();
    }
    expect(resets).toBe(1);
    const live = await readModelRows(db.pool, ['l1', 'l2'], SCORE_TABLES);
    expect(live['l1/score_appraisals']).toHaveLength(4);
    await inTransaction(db.pool, (tx) => scoreProjection.reset(tx));
    await new ConsumerPump(db.pool, db.store, scoreProjection).drain(30);
    expect(live).toEqual(await readModelRows(db.pool, ['l1', 'l2'], SCORE_TABLES));
  });
});

describe('score projection with a poison event (docs/adr/0071)', () => {
  it("parks tenant A's appraisal on a score that overflows numeric, and still scores tenant B", async () => {
    // What a 131,073-digit actual once became: a score the schema lets through and numeric cannot hold.
    const { annual } = happyPath();
    let poisoned = false;
    const history = annual.events.map((event) => {
      if (event.type === 'PeriodScored' && !poisoned) {
        poisoned = true;
        return {
          event: { ...event, data: { ...event.data, raw: '9'.repeat(131_073) } },
          at: '2026-02-03T09:00:00.000Z',
          actor: { id: 'u', role: 'manager' },
        };
      }
      return { event, at: '2026-02-03T09:00:00.000Z', actor: { id: 'u', role: 'hr' } };
    }) as Parameters<typeof appendHistories>[2][number]['history'];
    expect(poisoned).toBe(true);
    await appendHistories(db.store, s1, [{ appraisalId: 'ap-1', history }]);
    await appendHappyPath(s2);
    const alerts: string[] = [];
    const runner = new ConsumerRunner({
      pool: db.pool,
      store: db.store,
      handler: scoreProjection,
      batchSize: 50,
      parking: { firstRetryMs: 100, maxRetryMs: 1_000 },
      onParked: (notice) => alerts.push(`${notice.tenantId} ${notice.eventType} ${notice.error}`),
    });
    await runner.start();
    try {
      // Tenant B, whose events come after A's poison in the log, is scored in full.
      await eventually(
        async () =>
          (await readAppraisalScore(db.pool, s2, 'ap-1'))?.periods.find((p) => p.periodId === '2026-01')
            ?.score === '87.30',
        30_000,
        "tenant B's appraisal scored",
      );
      const [parked] = await listParkedStreams(db.pool, { consumer: 'score' });
      expect(parked).toMatchObject({
        streamId: `appraisal-${s1}.ap-1`,
        tenantId: s1,
        eventType: 'PeriodScored',
      });
      expect(parked.error).toMatch(/numeric/);
      expect(parked.held).toBeGreaterThan(1);
      expect(alerts[0]).toMatch(new RegExp(`^${s1} PeriodScored .*numeric`));
      // A stays as it was before the poison: nothing after it was applied out of order.
      const a = await readAppraisalScore(db.pool, s1, 'ap-1');
      expect(a?.periods.filter((p) => p.score !== null) ?? []).toEqual([]);
    } finally {
      await runner.stop();
      await db.pool.query("DELETE FROM consumer_parked_streams WHERE consumer = 'score'");
    }
  });
});
