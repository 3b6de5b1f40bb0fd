/** The unit's counts as GET /scores/org-units/{id} gives them. */
export interface UnitScores {
  annual: { count: number; grades: { grade: string; count: number }[] };
  running: { count: number; grades: { grade: string; count: number }[] };
  calibration: { violations: { grade: string; bound: 'max' | 'min'; message: string }[] };
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
  bands: { grade: string; max?: number; min?: number }[],
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
      ...(band?.max !== undefined ? { max: band.max } : {}),
      ...(band?.min !== undefined ? { min: band.min } : {}),
    };
  });
}
