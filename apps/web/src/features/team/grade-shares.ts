import type { Answer } from '../../api/client';

type Described = Answer<'/scores/org-units/{orgUnitId}'>;
type Counts = { count: number; grades: Pick<Described['running']['grades'][number], 'grade' | 'count'>[] };
/** The counts of a unit's answer (GET /scores/org-units/{id}) that its shares are made of. */
export interface UnitScores {
  annual: Counts;
  running: Counts;
}

/** A grade's share of the unit with the band the workflow allows it (percent). */
export interface GradeShare {
  grade: string;
  count: number;
  percent: number;
  max?: number;
  min?: number;
}

/**
 * The unit's grades — the annual grade where scored, the running one before — as shares of the
 * unit, beside each grade's forced-distribution band. Grades are in the workflow's order.
 */
export function gradeShares(
  unit: UnitScores,
  grades: string[],
  /** As the workflow definition stores them: a number, or a decimal string. */
  bands: { grade: string; max?: number | string; min?: number | string }[],
): GradeShare[] {
  const countOf = (grade: string) =>
    (unit.annual.grades.find((g) => g.grade === grade)?.count ?? 0) +
    (unit.running.grades.find((g) => g.grade === grade)?.count ?? 0);
  const total = grades.reduce((sum, grade) => sum + countOf(grade), 0);
  return grades.map((grade) => {
    const band = bands.find((b) => b.grade === grade);
    const count = countOf(grade);
    return {
      grade,
      count,
      percent: total === 0 ? 0 : Math.round((10000 * count) / total) / 100,
      ...(band?.max !== undefined ? { max: Number(band.max) } : {}),
      ...(band?.min !== undefined ? { min: Number(band.min) } : {}),
    };
  });
}
