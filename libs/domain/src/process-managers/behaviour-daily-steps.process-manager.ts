import { commandIdFor, type ProcessManager } from './process-manager';

/**
 * A day summarized, annotated or scored → `TrackDailyPlan` on the person's appraisal (ADR 0160): the
 * day's `daily-plan` step closes once the day is filed (its summary) and the superior's
 * `daily-plan-review` opens; an annotation or a score closes that review. The day is the plan id's
 * tail (`<employeeId>.<date>`). Events that name no appraisal (recorded before ADR 0160, or under a
 * workflow that does not ask for days) send nothing.
 */
export const behaviourDailySteps: ProcessManager<'DaySummarized' | 'DailyPlanAnnotated' | 'DayScored'> = {
  name: 'behaviour-daily-steps',
  eventTypes: ['DaySummarized', 'DailyPlanAnnotated', 'DayScored'],
  react: (event) => {
    const { appraisalId, planId } = event.data;
    if (!appraisalId) return [];
    const date = planId.slice(planId.lastIndexOf('.') + 1);
    const progress = event.type === 'DaySummarized' ? 'filed' : 'reviewed';
    return [
      {
        commandId: commandIdFor('behaviour-daily-steps', event, progress),
        command: { type: 'TrackDailyPlan', data: { appraisalId, date, progress } },
      },
    ];
  },
};
