import { z } from 'zod';
import { Count, FieldIssueResponse } from '../../openapi/answer-pieces';

/** One row's result (the handler's `RowResult`): filed, would be filed (dry run), unchanged, or refused with its reason. */
export const ActualRowResultResponse = z.strictObject({
  row: z.number().int(),
  status: z.enum(['filed', 'would-file', 'unchanged', 'refused']),
  appraisalId: z.string().optional(),
  indicatorId: z.string().optional(),
  periodId: z.string().optional(),
  eventId: z.string().optional(),
  /** Why a row was refused: a stable code, the rule's words, and the fields at fault. */
  code: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(FieldIssueResponse).optional(),
});

/** POST /actuals/bulk: the counts, and a result per row in the order sent. */
export const FiledActualsResponse = z.strictObject({
  dryRun: z.boolean(),
  filed: Count,
  wouldFile: Count,
  unchanged: Count,
  refused: Count,
  rows: z.array(ActualRowResultResponse),
});
