import { z } from 'zod';

/*
 * Pieces of the answers' schemas (the `*.response.ts` files) that mean the same thing wherever they
 * appear. Each is inlined where used: the OpenAPI document names no shared component for them.
 */

/** A decimal as the domain computes it: a string, never a float. */
export const Decimal = z.string().describe('an exact decimal');

/** How many of something an answer counts (rows, events, steps, appraisals): a whole number. */
export const Count = z.number().int();

/** A published version of a workflow (or of a scorecard template): 1, 2, … */
export const VersionNumber = z.number().int();

/** A point in time: ISO 8601, in UTC. */
export const Timestamp = z.iso.datetime();

/** An answer that is a list: its `items`, and nothing besides. */
export const listOf = <Item extends z.ZodType>(item: Item) => z.strictObject({ items: z.array(item) });

/** One page of a paged answer: its `items`, and `next`, the cursor that asks for the next page (null on the last). */
export const pageOf = <Item extends z.ZodType>(item: Item) =>
  z.strictObject({ items: z.array(item), next: z.string().nullable() });

/** One field's problem, as a problem's `errors` name it: where, which rule, in words. */
export const FieldIssueResponse = z.strictObject({ path: z.string(), rule: z.string(), message: z.string() });

/** Where a filed red line stands: breached, contested by the appraisee, upheld or withdrawn by HR. */
export const RedLineState = z.enum(['breached', 'contested', 'upheld', 'withdrawn']);

/** What a breached red line does to the annual result (the workflow's rule for it). */
export const RedLineEffect = z.strictObject({
  forceGrade: z.string().optional(),
  bonusCoefficient: Decimal.optional(),
  capScore: Decimal.optional(),
});
