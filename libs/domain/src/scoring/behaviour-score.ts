import type { Rounding } from '../workflow/workflow-definition.schema';
import type { WeeklyPlanRules } from '../weekly-plan/behaviour-rubric.schema';
import { clamp, dec, roundTo, sum } from './decimal';

/**
 * A week's behaviour score: the weighted average of the superior's rating per rubric criterion,
 * each on the rubric's scale (weights sum to 100), rounded by the workflow's rule.
 */
export function weekBehaviourScore(
  rules: WeeklyPlanRules,
  ratings: Readonly<Record<string, string>>,
  rounding: Rounding,
): string {
  const weighted = rules.rubric.map((criterion) =>
    dec(ratings[criterion.id]).times(dec(criterion.weight)).dividedBy(100),
  );
  return roundTo(sum(weighted), rounding);
}

/**
 * The month's behaviour score from the scores of its scored weeks, by the workflow's roll-up rule
 * (`average` by default); null while no week of the month is scored.
 */
export function monthBehaviourScore(
  rollUp: WeeklyPlanRules['monthRollUp'],
  weekScores: readonly string[],
  rounding: Rounding,
): string | null {
  if (weekScores.length === 0) return null;
  const values = weekScores.map((score) => dec(score));
  const rolled =
    rollUp === 'average'
      ? sum(values).dividedBy(values.length)
      : rollUp === 'min'
        ? values.reduce((a, b) => (b.lessThan(a) ? b : a))
        : rollUp === 'max'
          ? values.reduce((a, b) => (b.greaterThan(a) ? b : a))
          : values[values.length - 1];
  return roundTo(rolled, rounding);
}

/**
 * The monthly score with the behaviour score counted at the workflow's weight:
 * period score × (100 − w)% + behaviour × w%. Without a behaviour score (no week scored) the
 * period score stands alone: a missing rubric rating never counts as zero.
 */
export function monthlyScoreWithBehaviour(
  periodScore: string,
  behaviourScore: string | null,
  weightInMonthlyScore: string | number,
  rounding: Rounding,
): string {
  if (behaviourScore === null) return roundTo(dec(periodScore), rounding);
  const weight = clamp(dec(weightInMonthlyScore), dec(0), dec(100));
  return roundTo(
    dec(periodScore).times(dec(100).minus(weight)).plus(dec(behaviourScore).times(weight)).dividedBy(100),
    rounding,
  );
}
