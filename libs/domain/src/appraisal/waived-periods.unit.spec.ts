import { AP, as, calendar, happyPath, type Scenario } from '../testing/appraisal-scenario';

const dec = '2026-12-20T09:00:00.000Z';
const jan = '2027-01-10T09:00:00.000Z';
const later = calendar.periods.map((period) => period.periodId).filter((periodId) => periodId !== '2026-01');

const waive = (scenario: Scenario, periodId: string) =>
  scenario.run(
    { type: 'WaivePeriod', data: { appraisalId: AP, periodId, reason: 'On leave' } },
    as('hr', { now: dec }),
  );
const scoreBySystem = (scenario: Scenario) =>
  scenario.run({ type: 'ScoreAppraisal', data: { appraisalId: AP } }, as('system', { now: jan }));

describe('a year with periods waived', () => {
  it('the system scores a year only once every period is scored or waived, and the result lists the waived ones', () => {
    const { rated } = happyPath(); // January scored, every rating in, eleven months neither
    expect(scoreBySystem(rated).events.length).toBe(rated.events.length);
    let year = rated;
    for (const periodId of later.slice(0, -1)) year = waive(year, periodId);
    expect(scoreBySystem(year).events.length).toBe(year.events.length);
    year = waive(year, later.at(-1)!);
    const scored = scoreBySystem(year);
    const event = scored.events.find((candidate) => candidate.type === 'AppraisalScored');
    expect(event?.data).toMatchObject({ periodsWaived: later, periodsScored: 1 });
    expect(event?.data).not.toHaveProperty('periodsMissing');
  });

  it("HR's own score of a year with periods neither scored nor waived is refused, naming the field and the rule", () => {
    const { rated } = happyPath();
    const partial = waive(rated, '2026-02');
    expect(() =>
      partial.run({ type: 'ScoreAppraisal', data: { appraisalId: AP } }, as('hr', { now: jan })),
    ).toThrow(
      expect.objectContaining({
        code: 'year-incomplete',
        intent: 'illegal-state',
        details: {
          path: 'periods',
          rule: 'every-period-scored-or-waived',
          periodIds: later.slice(1),
        },
      }),
    );
    const event = happyPath().annual.events.find((candidate) => candidate.type === 'AppraisalScored');
    expect(event?.data).toMatchObject({ periodsWaived: later });
    expect(event?.data).not.toHaveProperty('periodsMissing');
  });

  it('waiving closes the period’s open review step and records the reason under pii', () => {
    const waived = waive(happyPath().rated, '2026-02');
    expect(waived.events.slice(-2)).toMatchObject([
      { type: 'PeriodWaived', data: { periodId: '2026-02', pii: { reason: 'On leave' } } },
      { type: 'StepCompleted', data: { stepKey: 'period-review.2026-02' } },
    ]);
    expect(waived.state).toMatchObject({ periods: { '2026-02': { status: 'waived' } } });
  });

  it('refuses a scored period (naming the field), a second waiver, and anyone but HR', () => {
    const { rated } = happyPath();
    expect(() => waive(rated, '2026-01')).toThrow(
      expect.objectContaining({
        code: 'period-not-waivable',
        details: expect.objectContaining({ path: 'periodId' }),
      }),
    );
    expect(() => waive(waive(rated, '2026-02'), '2026-02')).toThrow(
      expect.objectContaining({ code: 'period-not-waivable' }),
    );
    expect(() =>
      rated.run(
        { type: 'WaivePeriod', data: { appraisalId: AP, periodId: '2026-02', reason: 'x' } },
        as('manager'),
      ),
    ).toThrow(expect.objectContaining({ code: 'role-not-allowed' }));
  });
});
