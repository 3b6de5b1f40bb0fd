import { AP, as, happyPath } from '../testing/appraisal-scenario';
import {
  januaryWeeks as weeks,
  rescoreJanuary as rescore,
  weeklyWorkflow as weekly,
} from '../testing/behaviour-workflow';

const feb = '2026-02-10T09:00:00.000Z';

describe('RescoreBehaviour: a week scored after its month', () => {
  it('rescores a scored month with its weeks now: 0.8 · 87.30 + 0.2 · 85.00 = 86.84, breaches not repeated', () => {
    const { scored } = happyPath();
    const after = scored.run(rescore, {
      ...as('system', { now: feb, workflow: weekly }),
      behaviourWeeks: weeks,
    });
    const events = after.events.slice(scored.events.length);
    expect(events.map((event) => event.type)).toEqual(['PeriodScored']);
    expect(events[0].data).toMatchObject({
      periodId: '2026-01',
      score: '86.84',
      behaviour: { weeks, score: '85.00', weight: '20', scorecardScore: '87.30' },
    });
    expect(after.state.status !== 'empty' && after.state.periods['2026-01'].result?.score).toBe('86.84');
  });

  it('does nothing while the month is not scored (its scoring reads the weeks) or without weekly plans', () => {
    const { assessed, scored } = happyPath();
    const notYet = assessed.run(rescore, { ...as('system', { workflow: weekly }), behaviourWeeks: weeks });
    expect(notYet.events).toHaveLength(assessed.events.length);
    const noWeeks = scored.run(rescore, { ...as('system', { now: feb }), behaviourWeeks: weeks });
    expect(noWeeks.events).toHaveLength(scored.events.length);
  });

  it("is for the system, HR and the appraisee's manager chain; a peer or a stranger is refused", () => {
    const { scored } = happyPath();
    for (const who of ['manager', 'skip', 'hr'] as const) {
      const after = scored.run(rescore, {
        ...as(who, { now: feb, workflow: weekly }),
        behaviourWeeks: weeks,
      });
      expect(after.events.slice(scored.events.length).map((event) => event.type)).toEqual(['PeriodScored']);
    }
    for (const who of ['peer', 'stranger', 'self'] as const)
      expect(() => scored.run(rescore, as(who, { now: feb, workflow: weekly }))).toThrow(
        expect.objectContaining({ code: 'relation-not-allowed' }),
      );
  });

  it('by hand, says why nothing can be rescored: the month not scored, no weekly plans, the year finalized', () => {
    const { assessed, scored, finalized } = happyPath();
    expect(() =>
      assessed.run(rescore, { ...as('manager', { now: feb, workflow: weekly }), behaviourWeeks: weeks }),
    ).toThrow(
      expect.objectContaining({
        code: 'period-not-scored',
        intent: 'illegal-state',
        details: expect.objectContaining({ path: 'periodId', rule: 'period-scored' }),
      }),
    );
    expect(() => scored.run(rescore, as('hr', { now: feb }))).toThrow(
      expect.objectContaining({
        code: 'weekly-plans-not-in-workflow',
        details: expect.objectContaining({ path: 'periodId' }),
      }),
    );
    expect(() =>
      finalized.run(rescore, { ...as('hr', { now: feb, workflow: weekly }), behaviourWeeks: weeks }),
    ).toThrow(expect.objectContaining({ code: 'appraisal-finalized' }));
    // The system is told nothing: its rescore of a finalized year is simply not needed.
    const quiet = finalized.run(rescore, {
      ...as('system', { now: feb, workflow: weekly }),
      behaviourWeeks: weeks,
    });
    expect(quiet.events).toHaveLength(finalized.events.length);
  });
});

describe('A month rescored after the annual score (ADR 0140)', () => {
  const jan = '2027-01-12T09:00:00.000Z';

  it('makes the annual result stale: finalizing is refused until the year is scored again', () => {
    const { annual } = happyPath();
    expect(annual.state.status !== 'empty' && annual.state.scoreStale).toBe(false);
    const late = annual.run(rescore, {
      ...as('system', { now: jan, workflow: weekly }),
      behaviourWeeks: weeks,
    });
    const events = late.events.slice(annual.events.length);
    expect(events.map((event) => event.type)).toEqual(['PeriodScored']);
    expect(events[0].data).toMatchObject({ periodId: '2026-01', score: '86.84' });
    const state = late.state;
    expect(state.status === 'scored' && state.scoreStale).toBe(true);
    expect(() =>
      late.run(
        { type: 'FinalizeAppraisal', data: { appraisalId: AP } },
        as('hr', { now: jan, workflow: weekly }),
      ),
    ).toThrow(expect.objectContaining({ code: 'score-stale' }));
  });

  it("is re-scored by the annual-scoring process manager's ScoreAppraisal (the system), then finalizes", () => {
    const { annual } = happyPath();
    const late = annual.run(rescore, {
      ...as('system', { now: jan, workflow: weekly }),
      behaviourWeeks: weeks,
    });
    const before = annual.state.status !== 'empty' ? annual.state.result : null;
    const rescored = late.run(
      { type: 'ScoreAppraisal', data: { appraisalId: AP } },
      as('system', { now: jan, workflow: weekly }),
    );
    const added = rescored.events.slice(late.events.length);
    expect(added.map((event) => event.type)).toEqual(['AppraisalScored']);
    const after = rescored.state;
    expect(after.status === 'scored' && after.scoreStale).toBe(false);
    // January moved from 87.30 to 86.84 and is the only month scored: the year's score follows it.
    expect(after.status !== 'empty' && after.result?.score).not.toBe(before?.score);
    const finalized = rescored.run(
      { type: 'FinalizeAppraisal', data: { appraisalId: AP } },
      as('hr', { now: jan, workflow: weekly }),
    );
    expect(finalized.events.at(-3)?.type).toBe('AppraisalFinalized');
  });

  it('a veto waived after the annual score rescored its month and makes the year stale too', () => {
    const { annual } = happyPath();
    const state = annual.state;
    const breached =
      state.status === 'empty'
        ? []
        : Object.entries(state.vetoes)
            .filter(([, status]) => status === 'breached')
            .map(([key]) => key);
    if (breached.length === 0) throw new Error('the happy path is expected to breach a veto in January');
    const indicatorId = breached[0].slice('2026-01/'.length);
    const waived = annual.run(
      {
        type: 'WaiveVeto',
        data: { appraisalId: AP, periodId: '2026-01', indicatorId, reason: 'Supply shortage' },
      },
      as('hr', { now: jan }),
    );
    expect(waived.events.slice(annual.events.length).map((event) => event.type)).toEqual([
      'VetoWaived',
      'PeriodScored',
    ]);
    expect(waived.state.status === 'scored' && waived.state.scoreStale).toBe(true);
  });
});
