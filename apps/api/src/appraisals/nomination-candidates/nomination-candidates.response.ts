import { z } from 'zod';

/**
 * The colleagues the appraisee may be offered as 360 raters (ADR 0099): ids, and display names where
 * `seesCandidateNames` lets them reach the caller (null otherwise). Nothing else of the directory.
 */
export const NominationCandidatesResponse = z.strictObject({
  appraisalId: z.string(),
  asOf: z.string(),
  /** One page, by employee id. */
  items: z.array(z.strictObject({ employeeId: z.string(), name: z.string().nullable() })),
  /** Pass as `after` for the next page; null on the last one. */
  next: z.string().nullable(),
});
