import { z } from 'zod';
import { VersionNumber } from '../../openapi/answer-pieces';

/**
 * A period's score summary as the what-if gives it. The scoring's other fields (indicators, vetoes,
 * behaviour) are passed through as they are: the scoring belongs to the domain and may grow.
 */
const Scored = z.looseObject({ workflowVersion: VersionNumber, score: z.string(), grade: z.string() });

/** POST /workflows/{id}/versions/what-if: each chosen appraisal's filed periods under the draft beside today's. */
export const WhatIfDraftResponse = z.strictObject({
  workflowId: z.string(),
  /** The version publishing the draft would create. */
  version: VersionNumber,
  appraisals: z.array(
    z.strictObject({
      appraisalId: z.string(),
      employeeId: z.string().nullable(),
      workflowVersion: VersionNumber,
      periods: z.array(
        z.strictObject({
          periodId: z.string(),
          recorded: Scored.nullable(),
          whatIf: Scored,
          /** The draft's score minus the recorded one; null when the period was not scored yet. */
          difference: z.string().nullable(),
        }),
      ),
    }),
  ),
});
