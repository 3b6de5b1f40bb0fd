import { z } from 'zod';
import { BEHAVIOUR_ROLL_UPS, BehaviourCriterion } from '@verity/domain';

/** Personal words as the reader may see them: the text, or null when hidden or erased. */
const Words = z.string().nullable();

const AnnotationResponse = z.strictObject({
  annotationId: z.string(),
  by: z.string(),
  text: Words,
  at: z.string(),
});

/** One line of a week's plan (`WeeklyPlanItemView`): a figure to reach or an action to do, with its result. */
export const WeeklyPlanItemResponse = z.strictObject({
  itemId: z.string(),
  kind: z.enum(['number', 'action']),
  text: Words,
  targetId: z.string().nullable(),
  indicatorId: z.string().nullable(),
  planned: z.string().nullable(),
  actual: z.string().nullable(),
  done: z.boolean().nullable(),
  externalRecords: z.array(z.strictObject({ system: z.string(), recordId: z.string(), label: Words })),
  annotations: z.array(AnnotationResponse),
});

/** One week as its events tell it (`WeekView`): the daily plans' days read the same way (ADR 0154). */
export const WeekViewResponse = z.strictObject({
  week: z.string(),
  planId: z.string(),
  status: z.enum(['not-planned', 'planned', 'summarized', 'scored']),
  planVersion: z.number().int().nullable(),
  items: z.array(WeeklyPlanItemResponse),
  days: z.array(z.strictObject({ date: z.string(), itemIds: z.array(z.string()), note: Words })),
  /** Annotations on the week as a whole. */
  annotations: z.array(AnnotationResponse),
  summary: Words,
  score: z.string().nullable(),
  ratings: z.array(z.strictObject({ criterionId: z.string(), score: z.string() })),
  scoredBy: z.string().nullable(),
});

/** One ISO week of the month beside the week before's summary. */
const WeekResponse = WeekViewResponse.extend({ lastWeekSummary: Words });

/** GET /weekly-plans: a person's weeks of a month, the month's behaviour score and the monthly score with it. */
export const WeeklyPlansResponse = z.strictObject({
  employeeId: z.string(),
  month: z.string(),
  /** The cycle the month's plans belong to (null: no plan submitted that month). */
  cycleId: z.string().nullable(),
  /** The workflow's weekly plan rule (null: the cycle's workflow has none). */
  rule: z
    .strictObject({
      monthRollUp: z.enum(BEHAVIOUR_ROLL_UPS),
      weightInMonthlyScore: z.string(),
      rubric: z.array(BehaviourCriterion.strict()),
    })
    .nullable(),
  behaviourScore: z.string().nullable(),
  /** The month's score as the appraisal scored it (indicators only). */
  periodScore: z.string().nullable(),
  /** The month was scored with other week scores than the weeks hold now (ADR 0131). */
  behaviourStale: z.boolean(),
  /** The period score with the behaviour score counted at the workflow's weight. */
  monthlyScore: z.string().nullable(),
  weeks: z.array(WeekResponse),
});
