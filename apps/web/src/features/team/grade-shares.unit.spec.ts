import { gradeShares, type UnitScores } from './grade-shares';

const unit = (annual: Record<string, number>, running: Record<string, number>): UnitScores => ({
  annual: {
    count: Object.values(annual).reduce((a, b) => a + b, 0),
    grades: Object.entries(annual).map(([grade, count]) => ({ grade, count })),
  },
  running: {
    count: Object.values(running).reduce((a, b) => a + b, 0),
    grades: Object.entries(running).map(([grade, count]) => ({ grade, count })),
  },
  calibration: { violations: [] },
});
const BANDS = [
  { grade: 'A', max: 20 },
  { grade: 'D', min: 5 },
];

describe("gradeShares: the unit's grades as shares beside the forced-distribution bands", () => {
  it('adds annual and running grades, in the workflow order, with each grade its band', () => {
    expect(gradeShares(unit({ A: 1, B: 1 }, { B: 1, C: 1 }), ['A', 'B', 'C', 'D'], BANDS)).toEqual([
      { grade: 'A', count: 1, percent: 25, max: 20 },
      { grade: 'B', count: 2, percent: 50 },
      { grade: 'C', count: 1, percent: 25 },
      { grade: 'D', count: 0, percent: 0, min: 5 },
    ]);
  });

  it('rounds shares to two places and gives 0 % for a unit with nobody graded', () => {
    expect(gradeShares(unit({}, { A: 1, B: 2 }), ['A', 'B'], []).map((s) => s.percent)).toEqual([
      33.33, 66.67,
    ]);
    expect(gradeShares(unit({}, {}), ['A', 'B'], BANDS).map((s) => s.percent)).toEqual([0, 0]);
  });
});
