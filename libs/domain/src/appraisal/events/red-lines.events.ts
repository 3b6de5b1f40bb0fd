import { z } from 'zod';
import { DecimalString, Grade, Id, Slug } from '../../shared/primitives';
import { VetoEffect } from '../../workflow/workflow-definition.schema';
import { base, periodIndicator, ReasonPii } from './shapes';

/** Vetoes and red lines: a breach, its waiver or contest, and how it ends. */
export const redLineEventSchemas = {
  VetoBreached: {
    version: 1,
    schema: z.object({
      ...base,
      ...periodIndicator,
      actual: DecimalString,
      target: DecimalString,
      /** The value the actual had to reach (or stay under, lower-is-better). */
      vetoValue: DecimalString,
      /** The actual as a percentage of the target, exact. */
      percentOfTarget: DecimalString.nullable(),
      effect: VetoEffect,
    }),
  },
  VetoWaived: {
    version: 1,
    schema: z.object({
      ...base,
      ...periodIndicator,
      pii: ReasonPii,
    }),
  },
  RedLineBreached: {
    version: 1,
    schema: z.object({
      ...base,
      breachId: Id,
      redLineId: Slug,
      effect: z.object({
        forceGrade: Grade.optional(),
        bonusCoefficient: DecimalString.optional(),
        capScore: DecimalString.optional(),
      }),
      pii: z.object({ description: z.string().min(1).max(4000), evidence: z.string().max(4000).optional() }),
    }),
  },
  RedLineContested: {
    version: 1,
    schema: z.object({ ...base, breachId: Id, pii: ReasonPii }),
  },
  RedLineUpheld: {
    version: 1,
    schema: z.object({ ...base, breachId: Id, pii: z.object({ reason: z.string().max(4000).optional() }) }),
  },
  RedLineWithdrawn: {
    version: 1,
    schema: z.object({ ...base, breachId: Id, pii: ReasonPii }),
  },
} as const;
