import { z } from 'zod';
import { cycleCommandSchemas, Id } from '@verity/domain';

const OpenCycle = cycleCommandSchemas.OpenCycle;

/**
 * `OpenCycle` with the scope given either as explicit `subjects` or as `orgUnitIds`, which the API
 * resolves to the employees in those units (and below) on the cycle's first day.
 */
export const OpenCycleRequest = z
  .strictObject({
    ...OpenCycle.shape,
    subjects: OpenCycle.shape.subjects.optional(),
    orgUnitIds: z.array(Id).min(1).max(1000).optional(),
  })
  .refine((body) => (body.subjects === undefined) !== (body.orgUnitIds === undefined), {
    message: 'give exactly one of `subjects` or `orgUnitIds`',
    path: ['subjects'],
  });

export const openCycleExample = {
  cycleId: 'sales-2026',
  name: 'Sales 2026',
  year: 2026,
  workflowId: 'sales-4232',
  workflowVersion: 1,
  orgUnitIds: ['sales'],
};
