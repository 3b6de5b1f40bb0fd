import { sales4232Workflow, scoreAnnual, scorePeriod } from '../index';
import { salesDefinition as sales } from '../testing/appraisal-scenario';
import { salesWithScorecard, workedMonth as workedActuals } from '../testing/scoring-examples';

// DOMAIN.md's worked example and a second one (formula aggregation, red lines, the year), scored by hand.
describe("DOMAIN.md's worked example (sales department, one month)", () => {
  const result = scorePeriod(sales, workedActuals);

  it('scores each indicator on the linear rule, with its contribution', () => {
    expect(
      result.indicators.map(({ indicatorId, score, weight, contribution }) => [
        indicatorId,
        score,
        weight,
        contribution,
      ]),
    ).toEqual([
      ['sales_volume', '90', '40', '36.00'],
      ['receivables', '84', '20', '16.80'],
      ['inventory', '110', '15', '16.50'],
      ['product_mix', '72', '25', '18.00'],
    ]);
    expect(result.indicators[1].rule).toBe('linear lower 2.5/2/1.5 → 60/100/120, floor 0, cap 120');
  });

  it('weights to 87.30, grade B', () => {
    expect(result.raw).toBe('87.3');
    expect(result.score).toBe('87.30');
    expect(result.grade).toBe('B');
  });

  it('breaches the product-mix veto at 82.5 % of target, so the bonus coefficient is 0', () => {
    expect(result.vetoes).toEqual([
      {
        indicatorId: 'product_mix',
        actual: '330',
        target: '400',
        vetoValue: '340',
        percentOfTarget: '82.5',
        breached: true,
        effect: { type: 'bonus-zero' },
      },
    ]);
    expect(result.vetoed).toBe(true);
    expect(result.bonusCoefficient).toBe('0');
  });

  it('would be 89.00 as a simple average', () => {
    const simple = {
      ...sales,
      scorecard: { ...sales.scorecard, aggregation: { method: 'simple' as const } },
    };
    expect(scorePeriod(simple, workedActuals).score).toBe('89.00');
  });

  it('pays grade B (1.0) once HR waives the veto', () => {
    const waived = scorePeriod(sales, workedActuals, {}, ['product_mix']);
    expect([waived.vetoed, waived.bonusCoefficient]).toEqual([false, '1']);
  });

  it('refuses to score without every actual', () => {
    expect(() => scorePeriod(sales, { sales_volume: '950' })).toThrow(
      expect.objectContaining({ code: 'actuals-missing' }),
    );
  });
});

describe('a second example: formula aggregation and a red line', () => {
  const gated = salesWithScorecard({
    indicators: sales4232Workflow.scorecard.indicators.map(
      ({ veto: _veto, ...indicator }: Record<string, unknown>) => indicator,
    ),
    // Sales below threshold gates the month; otherwise the better of receivables and inventory counts.
    aggregation: {
      method: 'formula',
      formula:
        'sales_volume >= 60 ? 0.5 * sales_volume + 0.3 * max(receivables, inventory) + 0.2 * product_mix : 0',
    },
  });

  it('evaluates the formula exactly: 0.5·90 + 0.3·110 + 0.2·72 = 92.40, grade A', () => {
    const month = scorePeriod(gated, workedActuals);
    expect([month.raw, month.score, month.grade, month.bonusCoefficient, month.vetoed]).toEqual([
      '92.4',
      '92.40',
      'A',
      '1.5',
      false,
    ]);
    expect(month.indicators.every((row) => row.contribution === null)).toBe(true);
    expect(month.aggregation).toMatch(/^formula /);
  });

  it('gates the month to 0 when sales fall below threshold', () => {
    expect(scorePeriod(gated, { ...workedActuals, sales_volume: '700' }).score).toBe('0.00');
  });

  const ratings = [
    { group: 'manager' as const, rating: '80' },
    { group: 'peer' as const, rating: '70' },
    { group: 'peer' as const, rating: '90' },
    { group: 'self' as const, rating: '90' },
  ];

  it('scores the year as 0.7·92.40 + 0.3·82 = 89.28, grade B, coefficient 1.0', () => {
    const year = scoreAnnual(gated, { periodScores: ['92.40', '92.40'], ratings, redLines: [] });
    expect(year).toMatchObject({
      periodAverage: '92.40',
      rating: '82.00',
      raw: '89.28',
      score: '89.28',
      grade: 'B',
      bonusCoefficient: '1',
    });
    expect(year.groups).toEqual([
      { group: 'manager', average: '80.00', responses: 1, weight: '60' },
      { group: 'peer', average: '80.00', responses: 2, weight: '20' },
      { group: 'self', average: '90.00', responses: 1, weight: '20' },
    ]);
  });

  it('forces grade D and coefficient 0 when a fraud red line stands', () => {
    const year = scoreAnnual(gated, {
      periodScores: ['92.40'],
      ratings,
      redLines: [{ breachId: 'b1', effect: { forceGrade: 'D', bonusCoefficient: '0' } }],
    });
    expect([year.score, year.grade, year.bonusCoefficient, year.redLinesApplied]).toEqual([
      '89.28',
      'D',
      '0',
      ['b1'],
    ]);
  });

  it('caps the score and the coefficient under a customer-harm red line', () => {
    const year = scoreAnnual(gated, {
      periodScores: ['92.40'],
      ratings,
      redLines: [{ breachId: 'b2', effect: { capScore: '59.99', bonusCoefficient: '0.3' } }],
    });
    expect([year.score, year.grade, year.bonusCoefficient]).toEqual(['59.99', 'D', '0']);
  });

  it('re-weights rater groups that have no responses and refuses a formula with missing inputs', () => {
    const managerOnly = scoreAnnual(gated, {
      periodScores: ['80'],
      ratings: [{ group: 'manager', rating: '70' }],
      redLines: [],
    });
    expect([managerOnly.rating, managerOnly.score]).toEqual(['70.00', '77.00']);
    expect(() => scoreAnnual(gated, { periodScores: [], ratings, redLines: [] })).toThrow(
      expect.objectContaining({ code: 'annual-formula-incomplete' }),
    );
  });
});
