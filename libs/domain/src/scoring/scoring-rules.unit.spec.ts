import { checkForcedDistribution, dec, evaluateFormula, parseExpression, scorePeriod } from '../index';
import { salesDefinition as sales } from '../testing/appraisal-scenario';
import {
  salesWithIndicator,
  salesWithScorecard,
  workedMonth as workedActuals,
} from '../testing/scoring-examples';

// The scoring rules beside the linear one (bands, pass/fail, manual scales, vetoes), the expression language and the forced distribution.
describe('other scoring rules', () => {
  const withRule = (rule: unknown, direction = 'higher') =>
    salesWithScorecard({
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
    const lower = salesWithScorecard({
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
    const capped = salesWithIndicator('product_mix', (indicator) => ({
      ...indicator,
      veto: { threshold: { value: 340 }, effect: { type: 'cap-score', score: 70 } },
    }));
    expect(scorePeriod(capped, workedActuals)).toMatchObject({
      score: '70.00',
      grade: 'C',
      bonusCoefficient: '0.6',
    });
    const gradeCap = salesWithIndicator('receivables', (indicator) => ({
      ...indicator,
      veto: { threshold: { value: 2.1 }, effect: { type: 'cap-grade', grade: 'C' } },
    }));
    const result = scorePeriod(gradeCap, { ...workedActuals, product_mix: '400' });
    expect([result.grade, result.vetoes.find((v) => v.indicatorId === 'receivables')?.breached]).toEqual([
      'C',
      true,
    ]);
  });

  it('reports a formula that fails at run time (division by zero) as a typed error', () => {
    const broken = salesWithScorecard({
      aggregation: { method: 'formula', formula: 'sales_volume / (inventory - inventory)' },
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
