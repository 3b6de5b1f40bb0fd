import Decimal from 'decimal.js';
import { IllegalStateError, ValidationError } from '../shared/errors';
import type { Indicator, VetoEffect, WorkflowDefinition } from '../workflow/workflow-definition.schema';
import { dec, roundTo, show, sum } from './decimal';
import { ExpressionError, evaluateFormula } from './expression';
import { bonusCoefficientOf, gradeFor, worseGrade } from './grade';
import { scoreIndicator, type LevelValues } from './indicator-score';
import { monthBehaviourScore, monthlyScoreWithBehaviour } from './behaviour-score';
import type { WeeklyPlanRules } from '../weekly-plan/behaviour-rubric.schema';

export interface IndicatorBreakdown {
  indicatorId: string;
  actual: string | null;
  rule: string;
  score: string;
  weight: string;
  contribution: string | null;
}

export interface VetoResult {
  indicatorId: string;
  actual: string;
  target: string;
  vetoValue: string;
  percentOfTarget: string | null;
  breached: boolean;
  effect: VetoEffect;
}

/** A scored week of the period's month: its ISO week and the superior's behaviour score. */
export interface ScoredWeek {
  week: string;
  score: string;
  /** How many scored days the score averages, when the workflow counts days (ADR 0161). */
  days?: number;
}

/** The month's behaviour score as it counts in the period score (周行为分, ADR 0131). */
export interface BehaviourPart {
  /** The scored weeks the roll-up used, in week order. */
  weeks: ScoredWeek[];
  rollUp: WeeklyPlanRules['monthRollUp'];
  /** The roll-up of the weeks; null while no week is scored (then it does not count). */
  score: string | null;
  /** Percent of the period score the behaviour score takes. */
  weight: string;
  /** The scorecard's score alone (rounded, before veto caps), which takes the rest. */
  scorecardScore: string;
}

export interface PeriodScore {
  aggregation: string;
  indicators: IndicatorBreakdown[];
  /** Exact, before rounding and veto caps. */
  raw: string;
  /** Rounded per the workflow, after a `cap-score` veto. */
  score: string;
  grade: string;
  bonusCoefficient: string;
  vetoes: VetoResult[];
  vetoed: boolean;
  /** Only for a workflow with weekly plans (a behaviour rubric). */
  behaviour?: BehaviourPart;
}

/** Plan targets by indicator id (override the template's levels). */
export type TargetLevels = Record<string, { threshold: string; target: string; stretch: string }>;

export function levelsOf(indicator: Indicator, targets: TargetLevels = {}): LevelValues {
  const planned = targets[indicator.id];
  if (planned)
    return { threshold: dec(planned.threshold), target: dec(planned.target), stretch: dec(planned.stretch) };
  if (indicator.kind === 'numeric')
    return {
      threshold: dec(indicator.levels.threshold),
      target: dec(indicator.levels.target),
      stretch: dec(indicator.levels.stretch),
    };
  return { threshold: dec(0), target: dec(1), stretch: dec(1) };
}

/** A key strategic indicator's veto check (关键战略指标). */
export function evaluateVeto(indicator: Indicator, levels: LevelValues, actual: Decimal): VetoResult | null {
  if (indicator.kind !== 'numeric' || !indicator.veto) return null;
  const threshold = indicator.veto.threshold;
  const vetoValue =
    'percentOfTarget' in threshold
      ? levels.target.times(dec(threshold.percentOfTarget)).dividedBy(100)
      : dec(threshold.value);
  const breached =
    indicator.direction === 'lower' ? actual.greaterThan(vetoValue) : actual.lessThan(vetoValue);
  return {
    indicatorId: indicator.id,
    actual: show(actual),
    target: show(levels.target),
    vetoValue: show(vetoValue),
    percentOfTarget: levels.target.isZero() ? null : show(actual.dividedBy(levels.target).times(100)),
    breached,
    effect: indicator.veto.effect,
  };
}

/**
 * A period's score with its full breakdown: each indicator's actual, rule, score, weight and
 * contribution; the aggregation; vetoes and their effects; grade and bonus coefficient.
 * `waived` lists indicator ids whose veto HR already waived for this period.
 */
export function scorePeriod(
  definition: WorkflowDefinition,
  actuals: Record<string, string>,
  targets: TargetLevels = {},
  waived: readonly string[] = [],
  scoredWeeks: readonly ScoredWeek[] = [],
): PeriodScore {
  const { indicators, aggregation } = definition.scorecard;
  const missing = indicators
    .filter((indicator) => actuals[indicator.id] === undefined)
    .map((indicator) => indicator.id);
  if (missing.length > 0)
    throw new IllegalStateError('actuals-missing', `no actual for ${missing.join(', ')}`, {
      indicators: missing,
    });
  const totalWeight = sum(indicators.map((indicator) => dec(indicator.weight)));
  const scores: Record<string, Decimal> = {};
  const vetoes: VetoResult[] = [];
  const rows = indicators.map((indicator) => {
    const actual = dec(actuals[indicator.id]);
    const levels = levelsOf(indicator, targets);
    const result = scoreIndicator(indicator, levels, actual);
    scores[indicator.id] = result.score;
    const veto = evaluateVeto(indicator, levels, actual);
    if (veto) vetoes.push(veto);
    const weight = dec(indicator.weight);
    const contribution =
      aggregation.method === 'weighted'
        ? result.score.times(weight).dividedBy(totalWeight)
        : aggregation.method === 'simple'
          ? result.score.dividedBy(indicators.length)
          : null;
    return {
      indicatorId: indicator.id,
      actual: show(actual),
      rule: result.rule,
      score: show(result.score),
      weight: show(weight),
      contribution,
    };
  });

  let raw: Decimal;
  if (aggregation.method === 'formula') {
    try {
      raw = evaluateFormula(aggregation.formula, scores);
    } catch (error) {
      if (error instanceof ExpressionError)
        throw new ValidationError('formula-failed', `the aggregation formula failed: ${error.message}`);
      throw error;
    }
  } else {
    raw = sum(rows.map((row) => row.contribution as Decimal));
  }

  const active = vetoes.filter((veto) => veto.breached && !waived.includes(veto.indicatorId));
  let score = dec(roundTo(raw, definition.rounding));
  // The behaviour score shares the month with the scorecard before vetoes cap it: a breached key
  // indicator caps the whole month, whatever the weeks' behaviour was.
  const behaviour = definition.weeklyPlans
    ? behaviourPart(definition.weeklyPlans, scoredWeeks, roundTo(score, definition.rounding), definition)
    : undefined;
  if (behaviour?.score != null)
    score = dec(
      monthlyScoreWithBehaviour(
        behaviour.scorecardScore,
        behaviour.score,
        behaviour.weight,
        definition.rounding,
      ),
    );
  for (const veto of active)
    if (veto.effect.type === 'cap-score') score = Decimal.min(score, dec(veto.effect.score));
  let grade = gradeFor(definition.grades, score).grade;
  for (const veto of active)
    if (veto.effect.type === 'cap-grade') grade = worseGrade(definition.grades, grade, veto.effect.grade);
  const bonusCoefficient = active.some((veto) => veto.effect.type === 'bonus-zero')
    ? dec(0)
    : bonusCoefficientOf(definition.grades, grade);

  return {
    aggregation: aggregation.method === 'formula' ? `formula ${aggregation.formula}` : aggregation.method,
    indicators: rows.map((row) => ({
      ...row,
      contribution: row.contribution === null ? null : roundTo(row.contribution, definition.rounding),
    })),
    raw: show(raw),
    score: roundTo(score, definition.rounding),
    grade,
    bonusCoefficient: show(bonusCoefficient),
    vetoes,
    vetoed: active.length > 0,
    ...(behaviour ? { behaviour } : {}),
  };
}

function behaviourPart(
  rules: WeeklyPlanRules,
  scoredWeeks: readonly ScoredWeek[],
  scorecardScore: string,
  definition: WorkflowDefinition,
): BehaviourPart {
  const weeks = [...scoredWeeks].sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
  return {
    weeks: weeks.map(({ week, score, days }) => ({ week, score, ...(days ? { days } : {}) })),
    rollUp: rules.monthRollUp,
    score: monthBehaviourScore(
      rules.monthRollUp,
      weeks.map((week) => week.score),
      definition.rounding,
    ),
    weight: show(dec(rules.weightInMonthlyScore)),
    scorecardScore,
  };
}
