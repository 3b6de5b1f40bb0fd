import { commandIdFor, type ProcessManager } from './process-manager';

/**
 * A weekly plan submitted, annotated or scored → `TrackWeeklyPlan` on the person's appraisal (ADR
 * 0145): the week's `weekly-plan` step closes and the superior's `weekly-plan-review` opens, and an
 * annotation or a score closes that review. The week is the plan id's tail (`<employeeId>.<week>`).
 * Events that name no appraisal (recorded before ADR 0145, or a person the cycle does not appraise)
 * send nothing.
 */
export const behaviourWeeklySteps: ProcessManager<
  'WeeklyPlanSubmitted' | 'WeeklyPlanAnnotated' | 'WeekScored'
> = {
  name: 'behaviour-weekly-steps',
  eventTypes: ['WeeklyPlanSubmitted', 'WeeklyPlanAnnotated', 'WeekScored'],
  react: (event) => {
    const { appraisalId, planId } = event.data;
    if (!appraisalId) return [];
    const week = planId.slice(planId.lastIndexOf('.') + 1);
    const progress = event.type === 'WeeklyPlanSubmitted' ? 'submitted' : 'reviewed';
    return [
      {
        commandId: commandIdFor('behaviour-weekly-steps', event, progress),
        command: { type: 'TrackWeeklyPlan', data: { appraisalId, week, progress } },
      },
    ];
  },
};
