import { z } from 'zod';
import { DecimalString, Grade, Id, Slug } from '../../shared/primitives';
import { VetoEffect } from '../../workflow/workflow-definition.schema';
import { base } from './shapes';

/** Vetoes and red lines: a breach, its waiver or contest, and how it ends. */
export const redLineEventSchemas = {
  VetoBreached: {
    version: 1,
    schema: z.object({
      ...base,
      periodId: z.string(),
      indicatorId: Slug,
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
      periodId: z.string(),
      indicatorId: Slug,
      pii: z.object({ reason: z.string().min(1).max(4000) }),
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
    schema: z.object({ ...base, breachId: Id, pii: z.object({ reason: z.string().min(1).max(4000) }) }),
  },
  RedLineUpheld: {
    version: 1,
    schema: z.object({ ...base, breachId: Id, pii: z.object({ reason: z.string().max(4000).optional() }) }),
  },
  RedLineWithdrawn: {
    version: 1,
    schema: z.object({ ...base, breachId: Id, pii: z.object({ reason: z.string().min(1).max(4000) }) }),
  },
} as const;
