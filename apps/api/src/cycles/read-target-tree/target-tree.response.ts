import { z } from 'zod';
import { targetTreeEventSchemas } from '@verity/domain';

const TargetNode = targetTreeEventSchemas.TargetSet.schema.omit({ at: true });

/** One node of the tree with its result so far and the nodes below it (the domain's `TargetProgress`). */
export interface TargetProgressAnswer extends z.output<typeof TargetNode> {
  actual: string;
  progress: string | null;
  allocated: string | null;
  children: TargetProgressAnswer[];
}
export const TargetProgressResponse: z.ZodType<TargetProgressAnswer> = TargetNode.extend({
  /** A person's filed actuals summed over the cycle's periods; rolled up above by the node's rule. */
  actual: z.string(),
  /** actual ÷ amount in percent, two places (null when the amount is 0). */
  progress: z.string().nullable(),
  /** What the children's amounts add up to (sum trees only). */
  allocated: z.string().nullable(),
  get children() {
    return z.array(TargetProgressResponse);
  },
})
  .strict()
  .meta({ id: 'TargetProgress' });

/** GET /cycles/{cycleId}/target-tree: the tree as it stood at `asOf`, company targets at the root. */
export const TargetTreeResponse = z.strictObject({
  cycleId: z.string(),
  asOf: z.string(),
  targets: z.array(TargetProgressResponse),
});
