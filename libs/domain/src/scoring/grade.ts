import type Decimal from 'decimal.js';
import type { GradeBand } from '../workflow/workflow-definition.schema';
import { dec } from './decimal';

/** Bands from the best (highest min) down. */
function ordered(bands: readonly GradeBand[]): GradeBand[] {
  return [...bands].sort((a, b) => dec(b.min).comparedTo(dec(a.min)));
}

/** The grade whose band holds the score (a band includes its `min`). */
export function gradeFor(bands: readonly GradeBand[], score: Decimal): GradeBand {
  const sorted = ordered(bands);
  return sorted.find((band) => score.greaterThanOrEqualTo(dec(band.min))) ?? sorted[sorted.length - 1];
}

export function bandOf(bands: readonly GradeBand[], grade: string): GradeBand | undefined {
  return bands.find((band) => band.grade === grade);
}

/** The worse of two grades (the one with the lower band). */
export function worseGrade(bands: readonly GradeBand[], a: string, b: string): string {
  const sorted = ordered(bands).map((band) => band.grade);
  return sorted.indexOf(a) >= sorted.indexOf(b) ? a : b;
}

export function bonusCoefficientOf(bands: readonly GradeBand[], grade: string): Decimal {
  const band = bandOf(bands, grade);
  return dec(band ? band.bonusCoefficient : 0);
}
