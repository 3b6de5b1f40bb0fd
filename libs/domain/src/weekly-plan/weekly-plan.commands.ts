import { z } from 'zod';
import { CalendarDate, FreeText, Id, Measure, ScaleValue, Slug } from '../shared/primitives';
import type { CommandsOf } from '../shared/messages';
import { IsoWeek } from './iso-week';
import { PLAN_ITEM_KINDS } from './weekly-plan.events';

export const PlanItemInput = z.object({
  itemId: Id,
  kind: z.enum(PLAN_ITEM_KINDS),
  text: FreeText,
  /** A person-level target of the cycle's target tree, owned by the planner. */
  targetId: Id.optional(),
  /** The week's figure (number items only). */
  planned: Measure.optional(),
  externalRecords: z
    .array(z.object({ system: Slug, recordId: Id, label: z.string().trim().min(1).max(200) }))
    .max(20)
    .default([]),
});

export const weeklyPlanCommandSchemas = {
  /** The person plans an ISO week (numbers and actions, days optional); again to revise it before the summary. */
  SubmitWeeklyPlan: z.object({
    /** `<employeeId>.<week>`: one plan per person and week. */
    planId: Id,
    employeeId: Id,
    cycleId: Id,
    week: IsoWeek,
    items: z.array(PlanItemInput).min(1).max(50),
    days: z
      .array(
        z.object({ date: CalendarDate, itemIds: z.array(Id).max(50), note: z.string().max(4000).optional() }),
      )
      .max(7)
      .default([]),
  }),
  /** The person reports the week: actuals of number items, whether actions were done, a summary. */
  SummarizeWeek: z.object({
    planId: Id,
    results: z
      .array(z.object({ itemId: Id, actual: Measure.optional(), done: z.boolean().optional() }))
      .max(50),
    summary: FreeText,
  }),
  /** The superior annotates an item (or the week: no `itemId`). */
  AnnotateWeeklyPlan: z.object({ planId: Id, itemId: Id.optional(), text: FreeText }),
  /** The superior scores the week against the workflow's behaviour rubric: one rating per criterion. */
  ScoreWeek: z.object({
    planId: Id,
    ratings: z
      .array(z.object({ criterionId: Slug, score: ScaleValue }))
      .min(1)
      .max(20),
  }),
} as const;

export type WeeklyPlanCommand = CommandsOf<typeof weeklyPlanCommandSchemas>;
