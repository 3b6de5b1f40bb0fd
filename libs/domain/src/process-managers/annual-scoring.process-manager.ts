import { commandIdFor, type ProcessManager } from './process-manager';

/** What may make an annual score due: a red line changing after scoring, the last rating, the last month. */
const SCORE_MAY_BE_DUE = [
  'RedLineBreached',
  'RedLineWithdrawn',
  'RatingSubmitted',
  'SelfAssessmentSubmitted',
  'PeriodScored',
  'PeriodWaived',
] as const;

/**
 * After each of those events → `ScoreAppraisal`, sent by the system. The appraisal scores only when
 * it is due (a score a red line made stale, or a complete year: every period scored, every rater
 * group's minimum in), so nobody has to re-score by hand before finalizing.
 */
export const annualScoring: ProcessManager<(typeof SCORE_MAY_BE_DUE)[number]> = {
  name: 'annual-scoring',
  eventTypes: SCORE_MAY_BE_DUE,
  react: (event) => [
    {
      commandId: commandIdFor('annual-scoring', event, 'score'),
      command: { type: 'ScoreAppraisal', data: { appraisalId: event.data.appraisalId } },
    },
  ],
};
