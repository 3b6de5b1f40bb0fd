import fc from 'fast-check';
import {
  checkForcedDistribution,
  dec,
  evaluateFormula,
  linearScore,
  parseExpression,
  parseWorkflowDefinition,
  roundTo,
  sales4232Workflow,
  scoreAnnual,
  scorePeriod,
  type WorkflowDefinition,
} from '../index';

function definitionOf(input: unknown): WorkflowDefinition {
  const parsed = parseWorkflowDefinition(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.definition;
}

const sales = definitionOf(sales4232Workflow);
const workedActuals = { sales_volume: '950', receivables: '2.2', inventory: '450', product_mix: '330' };

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
  const gated = definitionOf({
    ...sales4232Workflow,
    scorecard: {
      ...sales4232Workflow.scorecard,
      indicators: sales4232Workflow.scorecard.indicators.map(
        ({ veto: _veto, ...indicator }: Record<string, unknown>) => indicator,
      ),
      // Sales below threshold gates the month; otherwise the better of receivables and inventory counts.
      aggregation: {
        method: 'formula',
        formula:
          'sales_volume >= 60 ? 0.5 * sales_volume + 0.3 * max(receivables, inventory) + 0.2 * product_mix : 0',
      },
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

describe('other scoring rules', () => {
  const withRule = (rule: unknown, direction = 'higher') =>
    definitionOf({
      ...sales4232Workflow,
      scorecard: {
        indicators: [
          {
            id: 'k',
            kind: 'numeric',
            name: 'k',
            direction,
            weight: 60,
            levels: { threshold: 10, target: 20, stretch: 30 },
            rule,
          },
          {
            id: 'act',
            kind: 'action',
            name: 'key action',
            weight: 40,
            deadlineDays: 30,
            rule: { type: 'pass-fail' },
          },
        ],
        aggregation: { method: 'weighted' },
      },
    });

  it('scores a band table, including values outside every band', () => {
    const bands = withRule(
      {
        type: 'bands',
        bands: [
          { to: 10, score: 0 },
          { from: 10, to: 20, score: 70 },
          { from: 20, score: 100 },
        ],
      },
      'range',
    );
    expect(scorePeriod(bands, { k: '15', act: '1' }).indicators[0].score).toBe('70');
    const gap = withRule({ type: 'bands', bands: [{ from: 10, to: 20, score: 70 }] }, 'range');
    expect(scorePeriod(gap, { k: '25', act: '1' }).indicators[0].score).toBe('0');
  });

  it('scores pass/fail for numeric (higher, lower, range) and action targets', () => {
    expect(
      scorePeriod(withRule({ type: 'pass-fail' }), { k: '20', act: '0' }).indicators.map((r) => r.score),
    ).toEqual(['100', '0']);
    expect(
      scorePeriod(withRule({ type: 'pass-fail' }), { k: '19.99', act: '1' }).indicators.map((r) => r.score),
    ).toEqual(['0', '100']);
    const lower = definitionOf({
      ...sales4232Workflow,
      scorecard: {
        indicators: [
          {
            id: 'k',
            kind: 'numeric',
            name: 'k',
            direction: 'lower',
            weight: 100,
            levels: { threshold: 30, target: 20, stretch: 10 },
            rule: { type: 'pass-fail', passScore: 90 },
          },
        ],
        aggregation: { method: 'weighted' },
      },
    });
    expect(scorePeriod(lower, { k: '20' }).score).toBe('90.00');
    const range = withRule({ type: 'pass-fail' }, 'range');
    expect(scorePeriod(range, { k: '31', act: '1' }).indicators[0].score).toBe('0');
  });

  it('scores a manual scale and refuses a value off the scale', () => {
    const manual = withRule({
      type: 'manual',
      scale: [
        { value: 1, label: 'poor', score: 20 },
        { value: 5, label: 'excellent', score: 100 },
      ],
    });
    expect(scorePeriod(manual, { k: '5', act: '1' }).indicators[0].rule).toBe('manual 5 "excellent" → 100');
    expect(() => scorePeriod(manual, { k: '3', act: '1' })).toThrow(
      expect.objectContaining({ code: 'manual-value-unknown' }),
    );
  });

  it('applies cap-score and cap-grade vetoes, and absolute veto values', () => {
    const capped = definitionOf({
      ...sales4232Workflow,
      scorecard: {
        ...sales4232Workflow.scorecard,
        indicators: sales4232Workflow.scorecard.indicators.map((indicator) =>
          indicator.id === 'product_mix'
            ? { ...indicator, veto: { threshold: { value: 340 }, effect: { type: 'cap-score', score: 70 } } }
            : indicator,
        ),
      },
    });
    expect(scorePeriod(capped, workedActuals)).toMatchObject({
      score: '70.00',
      grade: 'C',
      bonusCoefficient: '0.6',
    });
    const gradeCap = definitionOf({
      ...sales4232Workflow,
      scorecard: {
        ...sales4232Workflow.scorecard,
        indicators: sales4232Workflow.scorecard.indicators.map((indicator) =>
          indicator.id === 'receivables'
            ? { ...indicator, veto: { threshold: { value: 2.1 }, effect: { type: 'cap-grade', grade: 'C' } } }
            : indicator,
        ),
      },
    });
    const result = scorePeriod(gradeCap, { ...workedActuals, product_mix: '400' });
    expect([result.grade, result.vetoes.find((v) => v.indicatorId === 'receivables')?.breached]).toEqual([
      'C',
      true,
    ]);
  });

  it('reports a formula that fails at run time (division by zero) as a typed error', () => {
    const broken = definitionOf({
      ...sales4232Workflow,
      scorecard: {
        ...sales4232Workflow.scorecard,
        aggregation: { method: 'formula', formula: 'sales_volume / (inventory - inventory)' },
      },
    });
    expect(() => scorePeriod(broken, workedActuals)).toThrow(
      expect.objectContaining({ code: 'formula-failed' }),
    );
  });
});

describe('the expression language', () => {
  const vars = { a: dec('0.1'), b: dec('0.2'), c: dec(3) };
  it.each([
    ['a + b', '0.3'],
    ['sum(a, b, c)', '3.3'],
    ['min(a, b) + max(a, c)', '3.1'],
    ['avg(a, b)', '0.15'],
    ['if(c > 2, 1, 2)', '1'],
    ['if(c < 2, 1, 2)', '2'],
    ['c >= 3 && a <= 0.1 ? -c : +c', '-3'],
    ['c == 3 || x', '1'],
    ['c != 3 || a', '1'],
    ['!(c - 3)', '1'],
    ['abs(a - c)', '2.9'],
    ['round(c / 7, 2)', '0.43'],
    ['c - a * b / 4', '2.995'],
    ['0 && x', '0'],
  ])('%s = %s', (source, expected) => {
    expect(evaluateFormula(source, vars).toFixed()).toBe(expected);
  });
  it.each([
    ['"text"', 'formula-literal'],
    ['a +', 'formula-syntax'],
    ['a ** 2', 'formula-operator'],
    ['a % 2', 'formula-operator'],
    ['~a', 'formula-operator'],
    ['if(a, b)', 'formula-arity'],
    ['abs(a, b)', 'formula-arity'],
    ['round(a)', 'formula-arity'],
    ['max()', 'formula-arity'],
    ['[a, b]', 'formula-construct'],
    ['this', 'formula-construct'],
    ['a.b()', 'formula-function'],
  ])('refuses %s (%s)', (source, rule) => {
    expect(() => parseExpression(source)).toThrow(expect.objectContaining({ rule }));
  });
  it('refuses unknown identifiers at evaluation time', () => {
    expect(() => evaluateFormula('a + z', vars)).toThrow(
      expect.objectContaining({ rule: 'formula-unknown-identifier' }),
    );
  });
});

describe('forced distribution', () => {
  it('returns each violation: too many A and too few D', () => {
    const violations = checkForcedDistribution(sales.forcedDistribution, ['A', 'A', 'B', 'B', 'C']);
    expect(violations).toEqual([
      expect.objectContaining({
        grade: 'A',
        bound: 'max',
        limitPercent: '20',
        actualPercent: '40.00',
        count: 2,
        total: 5,
      }),
      expect.objectContaining({
        grade: 'D',
        bound: 'min',
        limitPercent: '5',
        actualPercent: '0.00',
        count: 0,
        total: 5,
      }),
    ]);
    expect(violations[0].message).toBe('2 of 5 (40.00%) graded A, above the maximum of 20%');
  });
  it('accepts a distribution within the rules, and an empty unit', () => {
    expect(checkForcedDistribution(sales.forcedDistribution, ['A', 'B', 'B', 'C', 'D'])).toEqual([]);
    expect(checkForcedDistribution(sales.forcedDistribution, [])).toEqual([]);
  });
});

describe('scoring properties', () => {
  const points = {
    floor: dec(0),
    thresholdScore: dec(60),
    targetScore: dec(100),
    stretchScore: dec(120),
    cap: dec(120),
  };
  const levelsArb = fc
    .tuple(
      fc.integer({ min: -10000, max: 10000 }),
      fc.integer({ min: 1, max: 5000 }),
      fc.integer({ min: 1, max: 5000 }),
    )
    .map(([threshold, up1, up2]) => ({
      threshold: dec(threshold),
      target: dec(threshold + up1),
      stretch: dec(threshold + up1 + up2),
    }));
  const actualArb = fc.integer({ min: -30000, max: 30000 }).map((n) => dec(n).dividedBy(10));

  it('never decreases when a higher-is-better actual rises', () => {
    fc.assert(
      fc.property(levelsArb, actualArb, actualArb, (levels, a, b) => {
        const [low, high] = a.lessThanOrEqualTo(b) ? [a, b] : [b, a];
        return linearScore(low, levels, 'higher', points).lessThanOrEqualTo(
          linearScore(high, levels, 'higher', points),
        );
      }),
    );
  });

  it('never increases when a lower-is-better actual rises', () => {
    fc.assert(
      fc.property(levelsArb, actualArb, actualArb, (levels, a, b) => {
        const mirrored = { threshold: levels.stretch, target: levels.target, stretch: levels.threshold };
        const [low, high] = a.lessThanOrEqualTo(b) ? [a, b] : [b, a];
        return linearScore(low, mirrored, 'lower', points).greaterThanOrEqualTo(
          linearScore(high, mirrored, 'lower', points),
        );
      }),
    );
  });

  it('gives a period score that never decreases when a higher-is-better actual rises (others fixed)', () => {
    const base = fc.record({
      receivables: fc.constantFrom('1.4', '2.2', '2.6'),
      inventory: fc.integer({ min: 300, max: 700 }).map(String),
      product_mix: fc.integer({ min: 200, max: 600 }).map(String),
    });
    const volume = fc.integer({ min: 0, max: 2000 });
    fc.assert(
      fc.property(base, volume, volume, (others, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const lower = scorePeriod(sales, { ...others, sales_volume: String(low) });
        const higher = scorePeriod(sales, { ...others, sales_volume: String(high) });
        return (
          dec(lower.raw).lessThanOrEqualTo(dec(higher.raw)) &&
          dec(lower.score).lessThanOrEqualTo(dec(higher.score))
        );
      }),
    );
  });

  it('stays within [0, cap] for every indicator and the period', () => {
    const actuals = fc.record({
      sales_volume: fc.integer({ min: 0, max: 3000 }).map(String),
      receivables: fc.integer({ min: 0, max: 60 }).map((n) => dec(n).dividedBy(10).toFixed()),
      inventory: fc.integer({ min: 0, max: 1500 }).map(String),
      product_mix: fc.integer({ min: 0, max: 1000 }).map(String),
    });
    fc.assert(
      fc.property(actuals, (values) => {
        const result = scorePeriod(sales, values);
        const inRange = (s: string) => dec(s).greaterThanOrEqualTo(0) && dec(s).lessThanOrEqualTo(120);
        return result.indicators.every((row) => inRange(row.score)) && inRange(result.score);
      }),
    );
  });

  it('does not change when every weight is scaled by the same factor', () => {
    const factorArb = fc.integer({ min: 1, max: 1000 }).map((n) => dec(n).dividedBy(100));
    const actuals = fc.record({
      sales_volume: fc.integer({ min: 500, max: 1500 }).map(String),
      receivables: fc.constantFrom('1.4', '1.9', '2.2', '2.6'),
      inventory: fc.integer({ min: 300, max: 700 }).map(String),
      product_mix: fc.integer({ min: 200, max: 600 }).map(String),
    });
    fc.assert(
      fc.property(factorArb, actuals, (factor, values) => {
        const scaled: WorkflowDefinition = {
          ...sales,
          scorecard: {
            ...sales.scorecard,
            indicators: sales.scorecard.indicators.map((indicator) => ({
              ...indicator,
              weight: dec(indicator.weight).times(factor).toFixed(),
            })),
          },
        };
        return scorePeriod(scaled, values).score === scorePeriod(sales, values).score;
      }),
    );
  });

  it('has no binary floating-point drift (0.1 + 0.2 style levels land exactly on their scores)', () => {
    expect(0.1 + 0.2).not.toBe(0.3); // the trap we avoid
    const tenths = fc.integer({ min: 1, max: 99 }).map((n) => dec(n).dividedBy(10));
    fc.assert(
      fc.property(tenths, tenths, tenths, (threshold, step1, step2) => {
        const levels = {
          threshold,
          target: threshold.plus(step1),
          stretch: threshold.plus(step1).plus(step2),
        };
        // Actuals arrive as decimal strings ("0.3"), never as the binary sum 0.30000000000000004.
        const atTarget = linearScore(dec(threshold.plus(step1).toFixed()), levels, 'higher', points);
        const midway = linearScore(threshold.plus(step1.dividedBy(2)), levels, 'higher', points);
        const atStretch = linearScore(dec(levels.stretch.toFixed()), levels, 'higher', points);
        return atTarget.equals(100) && atStretch.equals(120) && midway.equals(80);
      }),
    );
    expect(roundTo(dec('0.1').plus(dec('0.2')), { mode: 'half-up', places: 2 })).toBe('0.30');
    expect(roundTo(dec('2.675'), { mode: 'half-up', places: 2 })).toBe('2.68'); // 2.67 in binary floating point
  });
});

describe("the month's behaviour score in the period score (weekly plans, ADR 0131)", () => {
  const withWeeks = definitionOf({
    ...sales4232Workflow,
    weeklyPlans: {
      rubric: [
        { id: 'reporting', name: 'Reports on time and in full', weight: 40 },
        { id: 'execution', name: 'Carries out the planned actions', weight: 60 },
      ],
      monthRollUp: 'average',
      weightInMonthlyScore: 20,
    },
  });
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
