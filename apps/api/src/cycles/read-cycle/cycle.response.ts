import { z } from 'zod';
import { cycleEventSchemas, Subject } from '@verity/domain';
import { Count, VersionNumber } from '../../openapi/answer-pieces';

/**
 * A cycle as GET /cycles/{cycleId} answers it: the cycle's state, how far the opening has got, and
 * the CycleOpened event's data cut to the appraisals the caller may see (ADR 0122).
 */
export const CycleResponse = z.strictObject({
  status: z.enum(['open', 'closed']),
  id: z.string(),
  workflowId: z.string(),
  workflowVersion: VersionNumber,
  startsAt: z.string(),
  endsAt: z.string(),
  appraisalIds: z.array(z.string()),
  /** Each appraisal's org unit, as the cycle's scope gave it. */
  unitOf: z.record(z.string(), z.string()),
  revision: z.string(),
  opening: z.strictObject({
    opened: Count,
    of: Count,
    done: z.boolean(),
    progress: z.string(),
  }),
  opened: cycleEventSchemas.CycleOpened.schema
    .extend({ appraisals: z.array(z.object({ appraisalId: z.string(), subject: Subject })) })
    .nullable(),
});
