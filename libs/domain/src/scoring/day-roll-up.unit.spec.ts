import { weeksWithDays, monthBehaviourScore } from './behaviour-score';
import { scoredDaysOf } from '../weekly-plan/scored-weeks';
import { annDayOfW10 } from '../testing/behaviour-workflow';

const rounding = { mode: 'half-up' as const, places: 2 };
const rule = { weekScore: 'average-of-days' as const };

describe("a day's score counts in its week (ADR 0161)", () => {
  it('a week with scored days scores their plain average, replacing the week scored as a whole', () => {
    // W10: days 80 + 90 + 70 = 240 / 3 = 80 (the week itself was scored 60: the days stand in for it).
    // W11: no day scored, the week's own 75 stands. W12: never scored as a whole, one day of 88.
    const weeks = weeksWithDays(
      rule,
      [
        { week: '2026-W10', score: '60' },
        { week: '2026-W11', score: '75' },
      ],
      [
        { date: '2026-03-02', week: '2026-W10', score: '80' },
        { date: '2026-03-03', week: '2026-W10', score: '90' },
        { date: '2026-03-04', week: '2026-W10', score: '70' },
        { date: '2026-03-16', week: '2026-W12', score: '88' },
      ],
      rounding,
    );
    expect(weeks).toEqual([
      { week: '2026-W10', score: '80.00', days: 3 },
      { week: '2026-W11', score: '75' },
      { week: '2026-W12', score: '88.00', days: 1 },
    ]);
    // The month averages its weeks as before: (80 + 75 + 88) / 3 = 243 / 3 = 81.
    expect(
      monthBehaviourScore(
        'average',
        weeks.map((week) => week.score),
        rounding,
      ),
    ).toBe('81.00');
  });

  it("rounds a week's average by the workflow's rule: (85 + 90 + 90) / 3 = 88.333…", () => {
    const days = ['85', '90', '90'].map((score, i) => ({
      date: `2026-03-0${i + 2}`,
      week: '2026-W10',
      score,
    }));
    expect(weeksWithDays(rule, [], days, rounding)).toEqual([{ week: '2026-W10', score: '88.33', days: 3 }]);
    expect(weeksWithDays(rule, [], days, { mode: 'down', places: 0 })[0].score).toBe('88');
  });

  it('under `week` the days change nothing; with no day scored the weeks stand as they are', () => {
    const weeks = [{ week: '2026-W10', score: '60' }];
    const days = [{ date: '2026-03-02', week: '2026-W10', score: '100' }];
    expect(weeksWithDays({ weekScore: 'week' }, weeks, days, rounding)).toEqual(weeks);
    expect(weeksWithDays(rule, weeks, [], rounding)).toEqual(weeks);
  });

  it("counts only scored days planned in the appraisal's cycle", () => {
    const day = annDayOfW10;
    expect(
      scoredDaysOf(
        [
          day('2026-03-02', 'scored', 'fy2026', '80'),
          day('2026-03-03', 'summarized', 'fy2026', null),
          day('2026-03-04', 'scored', 'other', '10'),
          { status: 'empty' },
        ],
        'fy2026',
      ),
    ).toEqual([{ date: '2026-03-02', week: '2026-W10', score: '80' }]);
  });
});
