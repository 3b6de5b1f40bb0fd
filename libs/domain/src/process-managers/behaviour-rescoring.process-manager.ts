import { commandIdFor, type ProcessManager } from './process-manager';

/**
 * A week scored → `RescoreBehaviour` for its month on the person's appraisal, sent by the system. The
 * appraisal rescores only a month already scored (ADR 0131): a month not yet scored reads its weeks
 * when it is, so a week scored after its month no longer leaves the month's score behind.
 */
export const behaviourRescoring: ProcessManager<'WeekScored'> = {
  name: 'behaviour-rescoring',
  eventTypes: ['WeekScored'],
  react: (event) =>
    event.data.appraisalId
      ? [
          {
            commandId: commandIdFor('behaviour-rescoring', event, event.data.month),
            command: {
              type: 'RescoreBehaviour',
              data: { appraisalId: event.data.appraisalId, periodId: event.data.month },
            },
          },
        ]
      : [],
};
