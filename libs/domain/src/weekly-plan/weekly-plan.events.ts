import { z } from 'zod';
import { CalendarDate, DecimalString, Id, Instant, Slug } from '../shared/primitives';
import type { EventsOf } from '../shared/messages';
import { CalendarMonth, IsoWeek } from './iso-week';

/** A weekly plan's line: a number (数字目标) or an action (行动目标). */
export const PLAN_ITEM_KINDS = ['number', 'action'] as const;

/** A record of another system the item is about (a customer, an order): its id there; the label is pii. */
export const ExternalRecordRef = z.object({ system: Slug, recordId: Id });

/** A summary: each item's actual (numbers) or whether it was done (actions), and the words, personal data. */
export const summaryFields = {
  results: z.array(z.object({ itemId: Id, actual: DecimalString.nullable(), done: z.boolean().nullable() })),
  pii: z.object({ summary: z.string().min(1).max(4000) }),
};

/** A superior's note (批注) on one item, or on the whole plan when `itemId` is null; its text is personal data. */
export const annotationFields = {
  annotationId: Id,
  itemId: Id.nullable(),
  by: z.string(),
  pii: z.object({ text: z.string().min(1).max(4000) }),
};

/** A scoring on the workflow's behaviour rubric: one rating per criterion and their weighted average. */
export const rubricScoreFields = {
  workflowId: Id,
  workflowVersion: z.number().int().positive(),
  ratings: z.array(z.object({ criterionId: Slug, score: DecimalString })),
  /** The rubric's weighted average, rounded by the workflow's rule. */
  score: DecimalString,
  by: z.string(),
};

export const PlanItem = z.object({
  itemId: Id,
  kind: z.enum(PLAN_ITEM_KINDS),
  /** The monthly (person-level) target of the cycle's target tree the item works towards. */
  targetId: Id.nullable(),
  /** That target's indicator (copied, so the history reads without the tree). */
  indicatorId: Slug.nullable(),
  /** The week's planned figure (number items). */
  planned: DecimalString.nullable(),
  externalRecords: z.array(ExternalRecordRef),
});

export const ItemText = z.object({
  itemId: Id,
  text: z.string().min(1).max(4000),
  /** Labels of the external records as the integrator named them (a customer's name is personal data). */
  recordLabels: z.array(z.object({ recordId: Id, label: z.string().max(200) })),
});

const base = { planId: Id, at: Instant };

export const weeklyPlanEventSchemas = {
  /** The person's plan for an ISO week (submitted again: a new version that replaces the items). */
  WeeklyPlanSubmitted: {
    // v2 adds `appraisalId` (ADR 0145); a v1 event reads as v2 without it.
    version: 2,
    schema: z.object({
      ...base,
      employeeId: Id,
      /** The person's appraisal in the cycle, whose weekly steps follow the plan (absent: none known). */
      appraisalId: Id.optional(),
      cycleId: Id,
      week: IsoWeek,
      /** The month the week counts in (its Thursday's). */
      month: CalendarMonth,
      planVersion: z.number().int().positive(),
      items: z.array(PlanItem),
      /** The week's days as planned (optional): which items on which date. */
      days: z.array(z.object({ date: CalendarDate, itemIds: z.array(Id) })),
      pii: z.object({
        items: z.array(ItemText),
        days: z.array(z.object({ date: CalendarDate, note: z.string().max(4000) })),
      }),
    }),
  },
  /** The person's account of the week: each item's actual or done, and a summary (shown beside next week's plan). */
  WeekSummarized: {
    version: 1,
    schema: z.object({
      ...base,
      ...summaryFields,
    }),
  },
  /** The superior's note (批注) on one item, or on the whole week when `itemId` is null. */
  WeeklyPlanAnnotated: {
    // v2 adds `appraisalId` (ADR 0145); a v1 event reads as v2 without it.
    version: 2,
    schema: z.object({
      ...base,
      /** As on `WeeklyPlanSubmitted`: the appraisal whose review step an annotation completes. */
      appraisalId: Id.optional(),
      ...annotationFields,
    }),
  },
  /** The week scored against the workflow's behaviour rubric (周行为分); a later scoring replaces it. */
  WeekScored: {
    // v2 adds `appraisalId` (ADR 0131); a v1 event reads as v2 without it.
    version: 2,
    schema: z.object({
      ...base,
      month: CalendarMonth,
      /** The person's appraisal in the plan's cycle, whose month the week counts in (absent: none known). */
      appraisalId: Id.optional(),
      ...rubricScoreFields,
    }),
  },
} as const;

export type WeeklyPlanEvent = EventsOf<typeof weeklyPlanEventSchemas>;
