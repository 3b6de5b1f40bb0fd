import type { Rounding } from '../workflow/workflow-definition.schema';
import type { DailyPlanRules, WeeklyPlanRules } from '../weekly-plan/behaviour-rubric.schema';
import type { ScoredWeek } from './period-score';
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

/** A scored day of the month's weeks: its ISO week and the superior's behaviour score. */
export interface ScoredDay {
  date: string;
  week: string;
  score: string;
}

/**
 * The weeks' behaviour scores with their days counted (ADR 0161). Under `average-of-days`, a week
 * with scored days scores their plain average (rounded by the workflow's rule), whether or not the
 * week was scored as a whole; a week without a scored day keeps its own score; a week never scored
 * as a whole counts once one of its days is. Under `week` the days change nothing. The month then
 * rolls its weeks up as before (`monthRollUp`), so a month of days weighs each week once, not each
 * day.
 */
export function weeksWithDays(
  rules: DailyPlanRules,
  scoredWeeks: readonly ScoredWeek[],
  scoredDays: readonly ScoredDay[],
  rounding: Rounding,
): ScoredWeek[] {
  if (rules.weekScore === 'week') return [...scoredWeeks];
  const daysByWeek = new Map<string, string[]>();
  for (const day of scoredDays) daysByWeek.set(day.week, [...(daysByWeek.get(day.week) ?? []), day.score]);
  const weeks = new Map(scoredWeeks.map((week) => [week.week, week]));
  for (const [week, scores] of daysByWeek)
    weeks.set(week, {
      week,
      score: roundTo(sum(scores.map((score) => dec(score))).dividedBy(scores.length), rounding),
      days: scores.length,
    });
  return [...weeks.values()].sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
}
