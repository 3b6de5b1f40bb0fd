import { z } from 'zod';
import { DecimalString, Id } from '../../shared/primitives';
import { RATER_GROUPS } from '../../workflow/workflow-definition.schema';
import { base, ReasonPii } from './shapes';

/** The self-assessment and the 360 ratings, with the nominations of raters. */
export const ratingEventSchemas = {
  SelfAssessmentSubmitted: {
    version: 1,
    schema: z.object({
      ...base,
      rating: DecimalString,
      pii: z.object({ comment: z.string().max(4000).optional() }),
    }),
  },
  /** The rater stays in the trail; `anonymous` tells read models to show the group only in aggregate. */
  RatingSubmitted: {
    version: 1,
    schema: z.object({
      ...base,
      raterId: z.string(),
      group: z.enum(RATER_GROUPS),
      rating: DecimalString,
      anonymous: z.boolean(),
      pii: z.object({ comment: z.string().max(4000).optional() }),
    }),
  },
  /**
   * Someone was nominated to rate the appraisee in a rater group: `proposed` by the appraisee (the
   * manager decides), `approved` when HR assigned them.
   */
  RaterNominated: {
    version: 1,
    schema: z.object({
      ...base,
      nominationId: Id,
      group: z.enum(['peer']),
      employeeId: Id,
      nominatedBy: z.string(),
      status: z.enum(['proposed', 'approved']),
    }),
  },
  NominationApproved: { version: 1, schema: z.object({ ...base, nominationId: Id }) },
  NominationRejected: {
    version: 1,
    schema: z.object({ ...base, nominationId: Id, pii: ReasonPii }),
  },
} as const;
