import fc from 'fast-check';
import { dec, linearScore, roundTo, scorePeriod, type WorkflowDefinition } from '../index';
import { salesDefinition as sales } from '../testing/appraisal-scenario';

// Properties of the scoring rules over generated levels and actuals.
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
