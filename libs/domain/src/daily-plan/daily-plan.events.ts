import { z } from 'zod';
import { CalendarDate, DecimalString, Id, Instant, Slug } from '../shared/primitives';
import type { EventsOf } from '../shared/messages';
import { CalendarMonth, IsoWeek } from '../weekly-plan/iso-week';
import { ItemText, PlanItem } from '../weekly-plan/weekly-plan.events';

const base = { planId: Id, at: Instant };

/** A person's plan of one day (ADR 0154): the events of a weekly plan, by the day. */
export const dailyPlanEventSchemas = {
  /** The person's plan for a day (submitted again: a new version that replaces the items). */
  DailyPlanSubmitted: {
    version: 1,
    schema: z.object({
      ...base,
      employeeId: Id,
      cycleId: Id,
      date: CalendarDate,
      /** The ISO week the day is in, and the month that week counts in (its Thursday's). */
      week: IsoWeek,
      month: CalendarMonth,
      planVersion: z.number().int().positive(),
      items: z.array(
        PlanItem.extend({
          /** The item of the week's plan the day works on (null: none named). */
          weekItemId: Id.nullable(),
        }),
      ),
      pii: z.object({ items: z.array(ItemText) }),
    }),
  },
  /** The person's account of the day: each item's actual or done, and a summary. */
  DaySummarized: {
    version: 1,
    schema: z.object({
      ...base,
      results: z.array(
        z.object({ itemId: Id, actual: DecimalString.nullable(), done: z.boolean().nullable() }),
      ),
      pii: z.object({ summary: z.string().min(1).max(4000) }),
    }),
  },
  /** The superior's note (批注) on one item, or on the whole day when `itemId` is null. */
  DailyPlanAnnotated: {
    version: 1,
    schema: z.object({
      ...base,
      annotationId: Id,
      itemId: Id.nullable(),
      by: z.string(),
      pii: z.object({ text: z.string().min(1).max(4000) }),
    }),
  },
  /** The day scored against the workflow's behaviour rubric; a later scoring replaces it. */
  DayScored: {
    version: 1,
    schema: z.object({
      ...base,
      week: IsoWeek,
      workflowId: Id,
      workflowVersion: z.number().int().positive(),
      ratings: z.array(z.object({ criterionId: Slug, score: DecimalString })),
      /** The rubric's weighted average, rounded by the workflow's rule. */
      score: DecimalString,
      by: z.string(),
    }),
  },
} as const;

export type DailyPlanEvent = EventsOf<typeof dailyPlanEventSchemas>;
