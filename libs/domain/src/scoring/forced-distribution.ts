import type { ForcedDistributionRule } from '../workflow/workflow-definition.schema';
import { dec } from './decimal';

export interface DistributionViolation {
  grade: string;
  bound: 'max' | 'min';
  /** The rule's percentage. */
  limitPercent: string;
  /** The unit's percentage, exact to two places (half-up). */
  actualPercent: string;
  count: number;
  total: number;
  message: string;
}

/**
 * Checks a unit's grades against the forced distribution (e.g. A at most 20 %, D at least 5 %)
 * and returns every violation; an empty list means the distribution holds.
 */
export function checkForcedDistribution(
  rules: readonly ForcedDistributionRule[],
  grades: readonly string[],
): DistributionViolation[] {
  const total = grades.length;
  if (total === 0) return [];
  const violations: DistributionViolation[] = [];
  for (const rule of rules) {
    const count = grades.filter((grade) => grade === rule.grade).length;
    const percent = dec(count).times(100).dividedBy(total);
    const shown = percent.toDecimalPlaces(2).toFixed(2);
    if (rule.max !== undefined && percent.greaterThan(dec(rule.max)))
      violations.push({
        grade: rule.grade,
        bound: 'max',
        limitPercent: String(rule.max),
        actualPercent: shown,
        count,
        total,
        message: `${count} of ${total} (${shown}%) graded ${rule.grade}, above the maximum of ${rule.max}%`,
      });
    if (rule.min !== undefined && percent.lessThan(dec(rule.min)))
      violations.push({
        grade: rule.grade,
        bound: 'min',
        limitPercent: String(rule.min),
        actualPercent: shown,
        count,
        total,
        message: `${count} of ${total} (${shown}%) graded ${rule.grade}, below the minimum of ${rule.min}%`,
      });
  }
  return violations;
}
