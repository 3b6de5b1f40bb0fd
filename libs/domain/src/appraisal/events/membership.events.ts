import { z } from 'zod';
import { CalendarDate, Id } from '../../shared/primitives';
import { base } from './shapes';

/** A person's appraisal as they move or leave during the cycle, under the workflow's membership rule (ADR 0146). */
export const membershipEventSchemas = {
  /**
   * The person left: the appraisal is withdrawn (its open steps with it, each a `StepWithdrawn`),
   * leaves its unit's forced distribution, and every further command is refused. Carries no
   * personal data: the cause is a code.
   */
  AppraisalWithdrawn: {
    version: 1,
    schema: z.object({
      ...base,
      cause: z.enum(['employee-left']),
      /** The day the directory says the person left. */
      effectiveFrom: CalendarDate,
      /** The rule that withdrew it: `membership.leavers` of the pinned workflow version. */
      rule: z.literal('membership.leavers'),
    }),
  },
  /** The person moved to another unit and the rule counts the appraisal where they are at the cycle's end. */
  AppraisalUnitChanged: {
    version: 1,
    schema: z.object({
      ...base,
      fromOrgUnitId: Id,
      orgUnitId: Id,
      effectiveFrom: CalendarDate,
      rule: z.literal('membership.movers'),
    }),
  },
} as const;
