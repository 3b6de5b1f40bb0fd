/** A manager's ratings of a week or a day on the two-line rubric of `twoLineWeeklyPlans`. */
export const rubricRatings = (reporting: number, execution: number) => ({
  ratings: [
    { criterionId: 'reporting', score: reporting },
    { criterionId: 'execution', score: execution },
  ],
});
