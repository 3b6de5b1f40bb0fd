import { z } from 'zod';
import { pageOf } from '../../openapi/answer-pieces';

/**
 * The colleagues the appraisee may be offered as 360 raters (ADR 0099): ids, and display names where
 * `seesCandidateNames` lets them reach the caller (null otherwise). Nothing else of the directory.
 */
export const NominationCandidatesResponse = z.strictObject({
  appraisalId: z.string(),
  asOf: z.string(),
  /** One page, by employee id; `next` is sent back as `after`. */
  ...pageOf(z.strictObject({ employeeId: z.string(), name: z.string().nullable() })).shape,
});
