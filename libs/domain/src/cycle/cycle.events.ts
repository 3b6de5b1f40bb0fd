import { z } from 'zod';
import { Id, Instant } from '../shared/primitives';
import type { EventsOf } from '../shared/messages';

export const Subject = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('employee'), employeeId: Id, orgUnitId: Id }),
  z.object({ kind: z.literal('org-unit'), orgUnitId: Id }),
]);
export type Subject = z.infer<typeof Subject>;

/** A short-term period: `[startsAt, endsAt)` in UTC, id like `2026-03`, `2026-Q1` or `2026-H1`. */
export const Period = z.object({ periodId: z.string().min(1).max(20), startsAt: Instant, endsAt: Instant });
export type Period = z.infer<typeof Period>;

export const cycleEventSchemas = {
  CycleOpened: {
    version: 1,
    schema: z.object({
      cycleId: Id,
      name: z.string().min(1).max(200),
      year: z.number().int(),
      workflowId: Id,
      workflowVersion: z.number().int().positive(),
      scorecardTemplate: z.object({ templateId: Id, version: z.number().int().positive() }).nullable(),
      startsAt: Instant,
      endsAt: Instant,
      periods: z.array(Period),
      appraisals: z.array(z.object({ appraisalId: Id, subject: Subject })),
      at: Instant,
    }),
  },
  CycleClosed: { version: 1, schema: z.object({ cycleId: Id, at: Instant }) },
} as const;

export type CycleEvent = EventsOf<typeof cycleEventSchemas>;
export type CycleEventType = CycleEvent['type'];
