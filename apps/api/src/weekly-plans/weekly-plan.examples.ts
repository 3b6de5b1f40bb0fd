/** The example ratings of a week's or a day's score: one per criterion of seed 004's behaviour rubric. */
export const RUBRIC_RATINGS = [
  { criterionId: 'reporting', score: 80 },
  { criterionId: 'execution', score: 90 },
];
