import { z } from 'zod';
import { CalendarDate, Id, Instant } from '../shared/primitives';
import type { EventsOf } from '../shared/messages';
import { CalendarMonth, IsoWeek } from '../weekly-plan/iso-week';
import {
  annotationFields,
  ItemText,
  PlanItem,
  rubricScoreFields,
  summaryFields,
} from '../weekly-plan/weekly-plan.events';

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
    // v2 adds `appraisalId` (ADR 0160); a v1 event reads as v2 without it.
    version: 2,
    schema: z.object({
      ...base,
      /** The person's appraisal in the cycle, whose daily steps follow the day (ADR 0160; absent: none known). */
      appraisalId: Id.optional(),
      ...summaryFields,
    }),
  },
  /** The superior's note (批注) on one item, or on the whole day when `itemId` is null. */
  DailyPlanAnnotated: {
    // v2 adds `appraisalId` (ADR 0160); a v1 event reads as v2 without it.
    version: 2,
    schema: z.object({
      ...base,
      /** The person's appraisal in the cycle, whose daily steps follow the day (ADR 0160; absent: none known). */
      appraisalId: Id.optional(),
      ...annotationFields,
    }),
  },
  /** The day scored against the workflow's behaviour rubric; a later scoring replaces it. */
  DayScored: {
    // v2 adds `appraisalId` (ADR 0160): a scored month is rescored with its days (ADR 0161).
    version: 2,
    schema: z.object({
      ...base,
      /** The person's appraisal in the cycle, whose daily steps follow the day (ADR 0160; absent: none known). */
      appraisalId: Id.optional(),
      week: IsoWeek,
      ...rubricScoreFields,
    }),
  },
} as const;

export type DailyPlanEvent = EventsOf<typeof dailyPlanEventSchemas>;
