import { z } from 'zod';
import { ActualRowResultResponse } from '../file-actuals/file-actuals.response';

/** POST /cycles/{cycleId}/unit-results: each unit's rolled-up result and what became of it on its head's appraisal. */
export const UnitResultsResponse = z.strictObject({
  cycleId: z.string(),
  periodId: z.string(),
  dryRun: z.boolean(),
  units: z.array(
    z.strictObject({
      targetId: z.string(),
      orgUnitId: z.string(),
      /** The unit's one head on the period's last day (null: none, or more than one). */
      headEmployeeId: z.string().nullable(),
      /** The head's indicator the result is filed as. */
      indicatorId: z.string(),
      actual: z.string(),
      /** The filing on the head's appraisal, or `no-head-appraisal` when the cycle appraises no head of the unit. */
      result: z.union([ActualRowResultResponse, z.strictObject({ status: z.literal('no-head-appraisal') })]),
    }),
  ),
});
