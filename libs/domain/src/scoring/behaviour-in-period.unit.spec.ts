import { scorePeriod } from '../index';
import { definitionOf, salesDefinition as sales } from '../testing/appraisal-scenario';
import { salesWithTwoLineRubric } from '../testing/behaviour-workflow';
import { workedMonth as workedActuals } from '../testing/scoring-examples';

// The month's behaviour score (weekly plans) blended into the period score.
describe("the month's behaviour score in the period score (weekly plans, ADR 0131)", () => {
  const withWeeks = definitionOf(salesWithTwoLineRubric);

  // Chen Jing's / Ann's February: four scored weeks (ISO weeks 6–9).
  const weeks = [
    { week: '2025-W07', score: '90.40' },
    { week: '2025-W06', score: '82.00' },
    { week: '2025-W09', score: '88.00' },
    { week: '2025-W08', score: '75.00' },
  ];

  it('counts 20 %: 0.8 · 87.30 + 0.2 · 83.85 = 86.61, with the weeks, roll-up and scorecard score kept', () => {
    const result = scorePeriod(withWeeks, workedActuals, {}, [], weeks);
    expect([result.raw, result.score, result.grade]).toEqual(['87.3', '86.61', 'B']);
    expect(result.behaviour).toEqual({
      weeks: [
        { week: '2025-W06', score: '82.00' },
        { week: '2025-W07', score: '90.40' },
        { week: '2025-W08', score: '75.00' },
        { week: '2025-W09', score: '88.00' },
      ],
      rollUp: 'average',
      score: '83.85',
      weight: '20',
      scorecardScore: '87.30',
    });
    // The breached product-mix veto still zeroes the bonus.
    expect(result.bonusCoefficient).toBe('0');
  });

  it("rolls the weeks up by the workflow's rule: min 75.00 gives 0.8 · 87.30 + 0.2 · 75.00 = 84.84", () => {
    const min = { ...withWeeks, weeklyPlans: { ...withWeeks.weeklyPlans!, monthRollUp: 'min' as const } };
    const result = scorePeriod(min, workedActuals, {}, [], weeks);
    expect([result.behaviour?.score, result.score]).toEqual(['75.00', '84.84']);
  });

  it('lets the scorecard stand alone while no week is scored (a missing rating is not a zero)', () => {
    const result = scorePeriod(withWeeks, workedActuals, {}, [], []);
    expect(result.score).toBe('87.30');
    expect(result.behaviour).toMatchObject({ weeks: [], score: null, scorecardScore: '87.30' });
  });

  it('gives exactly the numbers of today for a workflow without weekly plans, whatever weeks are passed', () => {
    const result = scorePeriod(sales, workedActuals, {}, [], weeks);
    expect(result).toEqual(scorePeriod(sales, workedActuals));
    expect('behaviour' in result).toBe(false);
  });

  it('caps the blended month with a cap-score veto: 86.61 capped at 70', () => {
    const capped = {
      ...withWeeks,
      scorecard: {
        ...withWeeks.scorecard,
        indicators: withWeeks.scorecard.indicators.map((indicator) =>
          indicator.id === 'product_mix' && indicator.kind === 'numeric'
            ? {
                ...indicator,
                veto: { threshold: { value: '340' }, effect: { type: 'cap-score' as const, score: '70' } },
              }
            : indicator,
        ),
      },
    };
    const result = scorePeriod(capped, workedActuals, {}, [], weeks);
    expect([result.score, result.behaviour?.score, result.vetoed]).toEqual(['70.00', '83.85', true]);
  });
});
