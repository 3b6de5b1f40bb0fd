import Decimal from 'decimal.js';
import { ValidationError } from '../shared/errors';
import type { Indicator } from '../workflow/workflow-definition.schema';
import { clamp, dec } from './decimal';

export interface LevelValues {
  threshold: Decimal;
  target: Decimal;
  stretch: Decimal;
}

export interface IndicatorResult {
  score: Decimal;
  /** The rule as applied, e.g. `linear higher 800/1000/1200 → 60/100/120, floor 0, cap 120`. */
  rule: string;
}

/** Straight line through (x0, y0) and (x1, y1), evaluated at x. */
function line(x: Decimal, x0: Decimal, y0: Decimal, x1: Decimal, y1: Decimal): Decimal {
  return y0.plus(y1.minus(y0).times(x.minus(x0)).dividedBy(x1.minus(x0)));
}

/**
 * DOMAIN.md's linear rule: below threshold → floor; threshold → 60; target → 100; stretch → 120
 * (capped); straight lines between. Lower-is-better mirrors the axis (negate every value).
 */
export function linearScore(
  actual: Decimal,
  levels: LevelValues,
  direction: 'higher' | 'lower',
  points: {
    floor: Decimal;
    thresholdScore: Decimal;
    targetScore: Decimal;
    stretchScore: Decimal;
    cap: Decimal;
  },
): Decimal {
  const sign = direction === 'higher' ? 1 : -1;
  const [x, th, tg, st] = [actual, levels.threshold, levels.target, levels.stretch].map((value) =>
    value.times(sign),
  );
  let score: Decimal;
  if (x.lessThan(th)) score = points.floor;
  else if (x.lessThan(tg)) score = line(x, th, points.thresholdScore, tg, points.targetScore);
  else if (x.lessThan(st)) score = line(x, tg, points.targetScore, st, points.stretchScore);
  else score = points.stretchScore;
  return clamp(score, points.floor, points.cap);
}

function passes(actual: Decimal, levels: LevelValues, direction: 'higher' | 'lower' | 'range'): boolean {
  if (direction === 'higher') return actual.greaterThanOrEqualTo(levels.target);
  if (direction === 'lower') return actual.lessThanOrEqualTo(levels.target);
  return actual.greaterThanOrEqualTo(levels.threshold) && actual.lessThanOrEqualTo(levels.stretch);
}

/**
 * Scores one indicator. Numeric indicators take their levels from the plan (or the template);
 * action targets score 1 = done, 0 = not done under pass/fail, or a scale value under a manual rule.
 */
export function scoreIndicator(indicator: Indicator, levels: LevelValues, actual: Decimal): IndicatorResult {
  const rule = indicator.rule;
  const direction = indicator.kind === 'numeric' ? indicator.direction : 'higher';
  switch (rule.type) {
    case 'linear': {
      const points = {
        floor: dec(rule.floor),
        thresholdScore: dec(rule.thresholdScore),
        targetScore: dec(rule.targetScore),
        stretchScore: dec(rule.stretchScore),
        cap: dec(rule.cap),
      };
      const d = direction === 'lower' ? 'lower' : 'higher';
      return {
        score: linearScore(actual, levels, d, points),
        rule: `linear ${d} ${levels.threshold.toFixed()}/${levels.target.toFixed()}/${levels.stretch.toFixed()} → ${rule.thresholdScore}/${rule.targetScore}/${rule.stretchScore}, floor ${rule.floor}, cap ${rule.cap}`,
      };
    }
    case 'bands': {
      const band = rule.bands.find(
        (candidate) =>
          (candidate.from === undefined || actual.greaterThanOrEqualTo(dec(candidate.from))) &&
          (candidate.to === undefined || actual.lessThan(dec(candidate.to))),
      );
      const table = rule.bands.map((b) => `[${b.from ?? '-∞'}, ${b.to ?? '∞'}) → ${b.score}`).join('; ');
      return { score: band ? dec(band.score) : dec(0), rule: `bands ${table}` };
    }
    case 'pass-fail': {
      const passed =
        indicator.kind === 'action'
          ? !actual.isZero()
          : passes(actual, levels, direction as 'higher' | 'lower' | 'range');
      return {
        score: dec(passed ? rule.passScore : rule.failScore),
        rule: `pass-fail ${indicator.kind === 'action' ? 'done' : direction} → ${rule.passScore}/${rule.failScore}`,
      };
    }
    case 'manual': {
      const point = rule.scale.find((candidate) => actual.equals(candidate.value));
      if (!point)
        throw new ValidationError(
          'manual-value-unknown',
          `${actual.toFixed()} is not on the scale of "${indicator.id}"`,
          [
            {
              path: `actuals.${indicator.id}`,
              rule: 'manual-value-unknown',
              message: `choose one of ${rule.scale.map((p) => p.value).join(', ')}`,
            },
          ],
        );
      return { score: dec(point.score), rule: `manual ${point.value} "${point.label}" → ${point.score}` };
    }
  }
}
