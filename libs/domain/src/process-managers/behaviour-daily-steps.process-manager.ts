import { planStepsTracker } from './plan-steps';

/**
 * A day summarized, annotated or scored → `TrackDailyPlan` on the person's appraisal (ADR 0160): the
 * day's `daily-plan` step closes once the day is filed (its summary) and the superior's
 * `daily-plan-review` opens; an annotation or a score closes that review. The day is the plan id's
 * tail (`<employeeId>.<date>`). Events that name no appraisal (recorded before ADR 0160, or under a
 * workflow that does not ask for days) send nothing.
 */
export const behaviourDailySteps = planStepsTracker(
  'behaviour-daily-steps',
  ['DaySummarized', 'DailyPlanAnnotated', 'DayScored'],
  (appraisalId, date, byPlanner) => ({
    type: 'TrackDailyPlan',
    data: { appraisalId, date, progress: byPlanner ? 'filed' : 'reviewed' },
  }),
);
