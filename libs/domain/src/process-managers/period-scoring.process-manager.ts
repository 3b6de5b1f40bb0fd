import { commandIdFor, type ProcessManager } from './process-manager';

/**
 * A month assessed → `ScorePeriod`, sent by the system. A workflow that asks for a manual scoring
 * step (`scoring.periodScoring: manual`) makes the appraisal decide nothing for it.
 */
export const periodScoring: ProcessManager<'PeriodReviewAssessed'> = {
  name: 'period-scoring',
  eventTypes: ['PeriodReviewAssessed'],
  react: (event) => [
    {
      commandId: commandIdFor('period-scoring', event, event.data.periodId),
      command: {
        type: 'ScorePeriod',
        data: { appraisalId: event.data.appraisalId, periodId: event.data.periodId },
      },
    },
  ],
};
