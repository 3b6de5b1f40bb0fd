import { z } from 'zod';
import { ScaleValue, Slug, WeightValue } from '../shared/primitives';

/** One line of the behaviour rubric a superior scores a week against (周行为分, seed 004). */
export const BehaviourCriterion = z.object({
  id: Slug,
  name: z.string().min(1).max(200),
  weight: WeightValue,
});

/** How a month's behaviour score comes from its weeks' scores. */
export const BEHAVIOUR_ROLL_UPS = ['average', 'min', 'max', 'last'] as const;

/**
 * Weekly plans as a workflow runs them: the rubric a week is scored against, how the weeks of a
 * month roll up, and what share of the monthly score the behaviour score takes.
 */
export const WeeklyPlanRules = z
  .object({
    /** Each criterion is scored on `scale`; the week's score is their weighted average. */
    rubric: z.array(BehaviourCriterion).min(1).max(20),
    scale: z
      .object({ min: ScaleValue.default(0), max: ScaleValue.default(100) })
      .default({ min: 0, max: 100 }),
    monthRollUp: z.enum(BEHAVIOUR_ROLL_UPS).default('average'),
    /** Percent of the monthly score: monthly = period score × (100 − w)% + behaviour score × w%. */
    weightInMonthlyScore: WeightValue.refine((w) => Number(w) >= 0 && Number(w) <= 100, 'between 0 and 100'),
  })
  .superRefine((rules, context) => {
    const ids = rules.rubric.map((criterion) => criterion.id);
    if (new Set(ids).size !== ids.length)
      context.addIssue({ code: 'custom', path: ['rubric'], message: 'criterion ids must be unique' });
    const total = rules.rubric.reduce((sum, criterion) => sum + Number(criterion.weight), 0);
    if (Math.abs(total - 100) > 1e-9)
      context.addIssue({ code: 'custom', path: ['rubric'], message: `weights add up to ${total}, not 100` });
    if (Number(rules.scale.max) <= Number(rules.scale.min))
      context.addIssue({ code: 'custom', path: ['scale'], message: 'max must be above min' });
  });
export type WeeklyPlanRules = z.infer<typeof WeeklyPlanRules>;

/**
 * How a week's behaviour score comes from its days' (ADR 0161): `average-of-days`, the average of the
 * week's scored days, or the week's own score where no day is scored; `week`, the week's own score
 * alone (days are asked for but not counted).
 */
export const DAY_ROLL_UPS = ['average-of-days', 'week'] as const;

/** Daily plans as a workflow asks for them (ADR 0160): on working days, counted in their week. */
export const DailyPlanRules = z.object({
  weekScore: z.enum(DAY_ROLL_UPS).default('average-of-days'),
});
export type DailyPlanRules = z.infer<typeof DailyPlanRules>;
