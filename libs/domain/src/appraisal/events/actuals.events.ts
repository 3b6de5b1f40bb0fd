import { z } from 'zod';
import { DecimalString, Id, Slug } from '../../shared/primitives';
import { base, periodIndicator, ReasonPii } from './shapes';

/** Annotations and imported actuals with their disputes. */
export const actualsEventSchemas = {
  AnnotationAdded: {
    version: 1,
    schema: z.object({
      ...base,
      annotationId: Id,
      on: z.object({
        stepKey: z.string().optional(),
        periodId: z.string().optional(),
        indicatorId: Slug.optional(),
      }),
      authorId: z.string(),
      pii: z.object({ text: z.string().min(1).max(4000) }),
    }),
  },
  /** An actual filed by another system; `source` says which, so everyone sees the figure was imported. */
  ActualImported: {
    version: 1,
    schema: z.object({
      ...base,
      ...periodIndicator,
      actual: DecimalString,
      source: z.object({ system: Id, reference: z.string().optional() }),
    }),
  },
  /** The person (or their manager) disputes an imported figure; new imports of it wait for the manager. */
  ImportedActualDisputed: {
    version: 1,
    schema: z.object({
      ...base,
      ...periodIndicator,
      /** The imported figure disputed. */
      actual: DecimalString,
      disputedBy: z.string(),
      pii: ReasonPii,
    }),
  },
  /** The manager kept the disputed figure or corrected it; `actual` counts from now on. */
  ActualDisputeResolved: {
    version: 1,
    schema: z.object({
      ...base,
      ...periodIndicator,
      outcome: z.enum(['kept', 'corrected']),
      /** The figure that counts from now on. */
      actual: DecimalString,
      pii: ReasonPii,
    }),
  },
} as const;
