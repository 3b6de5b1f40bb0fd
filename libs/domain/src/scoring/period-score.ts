import Decimal from 'decimal.js';
import { IllegalStateError, ValidationError } from '../shared/errors';
import type { Indicator, VetoEffect, WorkflowDefinition } from '../workflow/workflow-definition.schema';
import { dec, roundTo, show, sum } from './decimal';
import { ExpressionError, evaluateFormula } from './expression';
import { bonusCoefficientOf, gradeFor, worseGrade } from './grade';
import { scoreIndicator, type LevelValues } from './indicator-score';

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
  };
}
