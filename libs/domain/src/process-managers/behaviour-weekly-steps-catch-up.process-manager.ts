import { commandIdFor, type ProcessManager } from './process-manager';

/**
 * The catch-up of ADR 0153, run once over the log by `npm run weekly-steps:catch-up` (not by the
 * worker: an approval since ADR 0145 opens its weeks itself). Each plan approval and each migration
 * to another workflow version → `OpenWeeklyPlanSteps` on that appraisal, which opens the weeks still
 * to come that have no step yet. The command id derives from the event, so a second run finds its
 * events in the stream and sends nothing; the appraisal's own check makes any other order safe too.
 */
export const behaviourWeeklyStepsCatchUp: ProcessManager<'PlanApproved' | 'AppraisalMigrated'> = {
  name: 'behaviour-weekly-steps-catch-up',
  eventTypes: ['PlanApproved', 'AppraisalMigrated'],
  react: (event) => [
    {
      commandId: commandIdFor('behaviour-weekly-steps-catch-up', event, 'open'),
      command: { type: 'OpenWeeklyPlanSteps', data: { appraisalId: event.data.appraisalId } },
    },
  ],
};
