import { planStepsTracker } from './plan-steps';

/**
 * A weekly plan submitted, annotated or scored → `TrackWeeklyPlan` on the person's appraisal (ADR
 * 0145): the week's `weekly-plan` step closes and the superior's `weekly-plan-review` opens, and an
 * annotation or a score closes that review. The week is the plan id's tail (`<employeeId>.<week>`).
 * Events that name no appraisal (recorded before ADR 0145, or a person the cycle does not appraise)
 * send nothing.
 */
export const behaviourWeeklySteps = planStepsTracker(
  'behaviour-weekly-steps',
  ['WeeklyPlanSubmitted', 'WeeklyPlanAnnotated', 'WeekScored'],
  (appraisalId, week, byPlanner) => ({
    type: 'TrackWeeklyPlan',
    data: { appraisalId, week, progress: byPlanner ? 'submitted' : 'reviewed' },
  }),
);
