import { z } from 'zod';
import { CalendarDate, FreeText, Id } from '../shared/primitives';
import type { CommandsOf } from '../shared/messages';
import { weeklyPlanCommandSchemas, PlanItemInput } from '../weekly-plan/weekly-plan.commands';

export const dailyPlanCommandSchemas = {
  /** The person plans a day (numbers and actions, as a week); again to revise it before the summary. */
  SubmitDailyPlan: z.object({
    /** `<employeeId>.<date>`: one plan per person and day. */
    planId: Id,
    employeeId: Id,
    cycleId: Id,
    date: CalendarDate,
    items: z
      .array(
        PlanItemInput.extend({
          /** An item of the week's plan the day works on. */ weekItemId: Id.optional(),
        }),
      )
      .min(1)
      .max(50),
  }),
  /** The person reports the day: actuals of number items, whether actions were done, a summary. */
  SummarizeDay: weeklyPlanCommandSchemas.SummarizeWeek,
  /** The superior annotates an item (or the day: no `itemId`). */
  AnnotateDailyPlan: z.object({ planId: Id, itemId: Id.optional(), text: FreeText }),
  /** The superior scores the day against the workflow's behaviour rubric: one rating per criterion. */
  ScoreDay: weeklyPlanCommandSchemas.ScoreWeek,
} as const;

export type DailyPlanCommand = CommandsOf<typeof dailyPlanCommandSchemas>;
