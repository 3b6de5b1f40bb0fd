import Decimal from 'decimal.js';
import { IllegalStateError } from '../shared/errors';
import type { RaterGroup, WorkflowDefinition } from '../workflow/workflow-definition.schema';
import { raterVariable } from '../workflow/workflow-definition.validate';
import { dec, roundTo, show, sum } from './decimal';
import { ExpressionError, evaluateFormula } from './expression';
import { bonusCoefficientOf, gradeFor, worseGrade } from './grade';

export interface RedLineEffectValues {
  forceGrade?: string;
  bonusCoefficient?: string;
  capScore?: string;
}

export interface AnnualInput {
  /** The (rounded) scores of the periods scored so far. */
  periodScores: string[];
  ratings: { group: RaterGroup; rating: string }[];
  /** Breaches still in force (not withdrawn). */
  redLines: { breachId: string; effect: RedLineEffectValues }[];
}

export interface AnnualScore {
  formula: string;
  periodAverage: string | null;
  periodsScored: number;
  groups: { group: RaterGroup; average: string | null; responses: number; weight: string }[];
  rating: string | null;
  raw: string;
  redLinesApplied: string[];
  score: string;
  grade: string;
  bonusCoefficient: string;
}

function average(values: Decimal[]): Decimal | null {
  return values.length === 0 ? null : sum(values).dividedBy(values.length);
}

/**
 * The annual score per the workflow's formula (e.g. 70 % period average + 30 % rating), then red-line
 * effects (score cap, forced grade, bonus coefficient ceiling), grade and bonus coefficient.
 */
export function scoreAnnual(definition: WorkflowDefinition, input: AnnualInput): AnnualScore {
  const periodAverage = average(input.periodScores.map(dec));
  const groups = definition.raterGroups.map((group) => {
    const ratings = input.ratings
      .filter((rating) => rating.group === group.group)
      .map((rating) => dec(rating.rating));
    return {
      group: group.group,
      average: average(ratings),
      responses: ratings.length,
      weight: dec(group.weight),
    };
  });
  const rated = groups.filter((group) => group.average !== null);
  const ratedWeight = sum(rated.map((group) => group.weight));
  // Groups without responses (allowed when their minimum is 0) drop out and the others are re-weighted.
  const rating =
    rated.length === 0
      ? null
      : sum(rated.map((group) => group.average!.times(group.weight))).dividedBy(ratedWeight);

  const variables: Record<string, Decimal> = {};
  if (periodAverage !== null) variables.periods = periodAverage;
  if (rating !== null) variables.rating = rating;
  for (const group of rated) variables[raterVariable(group.group)] = group.average!;
  let raw: Decimal;
  try {
    raw = evaluateFormula(definition.annual.formula, variables);
  } catch (error) {
    if (error instanceof ExpressionError)
      throw new IllegalStateError(
        'annual-formula-incomplete',
        `the annual score cannot be computed yet: ${error.message}`,
      );
    throw error;
  }

  let score = dec(roundTo(raw, definition.rounding));
  for (const line of input.redLines)
    if (line.effect.capScore !== undefined) score = Decimal.min(score, dec(line.effect.capScore));
  let grade = gradeFor(definition.grades, score).grade;
  for (const line of input.redLines)
    if (line.effect.forceGrade !== undefined)
      grade = worseGrade(definition.grades, grade, line.effect.forceGrade);
  let coefficient = bonusCoefficientOf(definition.grades, grade);
  for (const line of input.redLines)
    if (line.effect.bonusCoefficient !== undefined)
      coefficient = Decimal.min(coefficient, dec(line.effect.bonusCoefficient));

  return {
    formula: definition.annual.formula,
    periodAverage: periodAverage === null ? null : roundTo(periodAverage, definition.rounding),
    periodsScored: input.periodScores.length,
    groups: groups.map((group) => ({
      group: group.group,
      average: group.average === null ? null : roundTo(group.average, definition.rounding),
      responses: group.responses,
      weight: show(group.weight),
    })),
    rating: rating === null ? null : roundTo(rating, definition.rounding),
    raw: show(raw),
    redLinesApplied: input.redLines.map((line) => line.breachId),
    score: roundTo(score, definition.rounding),
    grade,
    bonusCoefficient: show(coefficient),
  };
}
