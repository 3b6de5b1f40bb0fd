import type { RecordedEvent } from '@verity/event-store';
import { AP, as, happyPath, salesDefinition } from '@verity/domain/testing/appraisal-scenario';
import { januaryWeeks, rescoreJanuary, weeklyWorkflow } from '@verity/domain/testing/behaviour-workflow';
import type { AppraisalEvent } from '@verity/domain';
import { testMetadata } from '../testing/event-metadata';
import { eventsUpTo, pinnedVersionOf, scoreView } from './score-view';

function recorded(events: readonly AppraisalEvent[]): RecordedEvent[] {
  return events.map((e, i) => ({
    eventId: `e${i}`,
    type: e.type,
    data: e.data,
    metadata: testMetadata(),
    streamId: `appraisal-t.${AP}`,
    streamRevision: BigInt(i),
    position: String(100 + i * 10),
    recordedAt: new Date(Date.UTC(2026, 0, 1 + i)),
  }));
}

const at = '2027-01-11T09:00:00.000Z';

/** The happy path scored, then a fraud red line filed by HR (the score is stale until re-scored). */
function breachedAfterScoring() {
  const { annual } = happyPath();
  const breached = annual.run(
    {
      type: 'FileRedLineBreach',
      data: { appraisalId: AP, redLineId: 'fraud', description: 'Invented orders' },
    },
    as('hr', { now: at, ids: ['breach-1'] }),
  );
  return { annual, breached };
}

it('replays a stream to a past position or time and gives the score in the one shape of the live view', () => {
  const { assessed, scored, annual } = happyPath();
  const stream = recorded(annual.events);
  const before = scoreView(
    eventsUpTo(stream, { position: stream[assessed.events.length - 1].position }),
    salesDefinition,
  );
  expect(before?.periods).toEqual([]);
  expect(before?.asOf.replayed).toBe(assessed.events.length);
  const then = scoreView(
    eventsUpTo(stream, { time: stream[scored.events.length - 1].recordedAt }),
    salesDefinition,
  )!;
  const january = then.periods.find((p) => p.periodId === '2026-01')!;
  const recordedResult = scored.state.status === 'empty' ? null : scored.state.periods['2026-01'].result;
  expect([january.score, january.grade, january.bonusCoefficient, january.vetoed]).toEqual([
    recordedResult?.score,
    recordedResult?.grade,
    recordedResult?.bonusCoefficient,
    recordedResult?.vetoed,
  ]);
  expect([then.runningScore, then.annualScore]).toEqual([january.score, null]);
  const now = scoreView(stream, salesDefinition)!;
  expect(now.annualGrade).toBe(annual.state.status === 'empty' ? undefined : annual.state.result?.grade);
  expect(Object.keys(now)).toEqual(Object.keys(then));
  expect(now.stale).toBeNull();
  expect(scoreView(eventsUpTo(stream, { position: '1' }), salesDefinition)).toBeNull();
});

it('names the vetoes breached and their indicators', () => {
  const view = scoreView(recorded(happyPath().scored.events), salesDefinition)!;
  expect(view.vetoes).toEqual([
    expect.objectContaining({
      periodId: '2026-01',
      indicatorId: 'product_mix',
      indicatorName: 'Product-mix sales (结构品种销量)',
      state: 'breached',
      effect: { type: 'bonus-zero' },
    }),
  ]);
  const mix = view.periods[0].indicators.find((i) => i.indicatorId === 'product_mix');
  expect(mix?.veto).toBe('breached');
});

it('marks the score stale, naming the red line, until the appraisal is scored again', () => {
  const { annual, breached } = breachedAfterScoring();
  const stale = scoreView(recorded(breached.events), salesDefinition)!;
  expect(stale.stale).toEqual({
    since: expect.any(String),
    reasons: [
      {
        cause: 'red-line-breached',
        breachId: 'breach-1',
        redLineId: 'fraud',
        name: 'Falsified figures or fraud',
        at: expect.any(String),
      },
    ],
  });
  // The recorded grade is still the one scored before the breach: the marker says it no longer holds.
  expect(stale.annualGrade).toBe(annual.state.status === 'empty' ? null : annual.state.result?.grade);
  expect(stale.redLines).toEqual([
    {
      breachId: 'breach-1',
      redLineId: 'fraud',
      name: 'Falsified figures or fraud',
      state: 'breached',
      effect: { forceGrade: 'D', bonusCoefficient: '0' },
      applies: true,
      filedAt: expect.any(String),
      decidedAt: null,
    },
  ]);

  const rescored = breached.run(
    { type: 'ScoreAppraisal', data: { appraisalId: AP } },
    as('system', { now: at }),
  );
  const fresh = scoreView(recorded(rescored.events), salesDefinition)!;
  expect(fresh.stale).toBeNull();
  expect([fresh.annualGrade, fresh.bonusCoefficient]).toEqual(['D', '0']);

  const withdrawn = rescored.run(
    { type: 'WithdrawRedLine', data: { appraisalId: AP, breachId: 'breach-1', reason: 'Orders were real' } },
    as('hr', { now: at }),
  );
  const overturned = scoreView(recorded(withdrawn.events), salesDefinition)!;
  expect(overturned.stale?.reasons.map((r) => r.cause)).toEqual(['red-line-withdrawn']);
  expect(overturned.redLines[0]).toMatchObject({
    state: 'withdrawn',
    applies: false,
    decidedAt: expect.any(String),
  });
});

it('upholding a red line changes nothing in the score: it stays applied and the score stays fresh', () => {
  const { breached } = breachedAfterScoring();
  const rescored = breached.run(
    { type: 'ScoreAppraisal', data: { appraisalId: AP } },
    as('system', { now: at }),
  );
  const upheld = rescored.run(
    { type: 'UpholdRedLine', data: { appraisalId: AP, breachId: 'breach-1', reason: 'Confirmed' } },
    as('hr', { now: at }),
  );
  const view = scoreView(recorded(upheld.events), salesDefinition)!;
  expect(view.stale).toBeNull();
  expect(view.redLines[0]).toMatchObject({ state: 'upheld', applies: true });
});

it('knows the version the appraisal is pinned to at each point', () => {
  const stream = recorded(happyPath().annual.events);
  expect(pinnedVersionOf(stream)).toEqual({ workflowId: 'sales', version: 1 });
  expect(pinnedVersionOf([])).toBeNull();
});

it('a month rescored after the annual score makes the view stale, naming the month and its scores, until the year is re-scored (ADR 0140)', () => {
  const { annual } = happyPath();
  const late = annual.run(rescoreJanuary, {
    ...as('system', { now: at, workflow: weeklyWorkflow }),
    behaviourWeeks: januaryWeeks,
  });
  const stale = scoreView(recorded(late.events), salesDefinition)!;
  expect(stale.stale?.reasons).toEqual([
    { cause: 'period-rescored', periodId: '2026-01', from: '87.30', to: '86.84', at: expect.any(String) },
  ]);
  expect(stale.stale?.since).toBe(stale.stale?.reasons[0].at);
  // The annual figures stay those recorded until the year is scored again; the month shows its new score.
  expect(stale.annualScore).toBe(annual.state.status === 'empty' ? null : annual.state.result?.score);
  expect(stale.periods.find((p) => p.periodId === '2026-01')?.score).toBe('86.84');

  const rescored = late.run({ type: 'ScoreAppraisal', data: { appraisalId: AP } }, as('system', { now: at }));
  const fresh = scoreView(recorded(rescored.events), salesDefinition)!;
  expect(fresh.stale).toBeNull();
  expect(fresh.annualScore).toBe(rescored.state.status === 'empty' ? null : rescored.state.result?.score);
});
