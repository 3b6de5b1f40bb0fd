import { z } from 'zod';

/** GET /workflows/{id} and /scorecard-templates/{id}: status, latest version, the versions published. */
export const DefinitionSummaryResponse = z.strictObject({
  id: z.string(),
  status: z.string(),
  latestVersion: z.number().int(),
  versions: z.array(z.number().int()),
  revision: z.string(),
});

/** GET /workflows/{id}/diff: each change between two versions, by JSON path. */
export const DefinitionDiffResponse = z.strictObject({
  workflowId: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  changes: z.array(
    z.strictObject({
      path: z.string(),
      op: z.enum(['added', 'removed', 'changed']),
      from: z.unknown().optional(),
      to: z.unknown().optional(),
    }),
  ),
});
