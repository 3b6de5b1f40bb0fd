import { requireRole } from '../../shared/authorize';
import type { AppraisalEvent } from '../appraisal.events';
import { stepDefinitionOf, stepKeyOf } from '../appraisal.steps';
import type { Decision } from './context';

/** A week's plan or a day's: their steps on the appraisal follow the same rules (ADR 0145, 0160). */
type PlanPeriod = 'weekly' | 'daily';

/**
 * The `weekly-plan` or `daily-plan` steps to open for these weeks or days: those neither planned yet
 * (`planned`, read by the handler) nor opened before, and not due already (nobody can plan a past
 * week or day in time).
 */
export function planStepsToOpen(
  decision: Decision,
  period: PlanPeriod,
  instances: readonly string[],
  planned: readonly string[] = [],
): AppraisalEvent[] {
  const { current, at, open } = decision;
  const kind = `${period}-plan` as const;
  const done = new Set(planned);
  return instances
    .filter((instance) => !done.has(instance) && !current.steps[stepKeyOf(kind, instance)])
    .map((instance) => open(kind, instance))
    .filter((step) => step.data.dueAt !== null && step.data.dueAt > at);
}

/**
 * The system follows a person's week or day on their appraisal: `reviewed` (an annotation or a
 * score) completes the superior's review step; the plan's own progress completes its step and opens
 * the review while the year runs, where the workflow times one, and once (`reviewAgain`: again after
 * the last review closed), then what the plan opens besides (`opens`: a week opens its days' steps).
 * Nothing to do is no error: the workflow may ask for no weeks or days, the step may be closed.
 */
export function trackedPlanSteps(
  decision: Decision,
  period: PlanPeriod,
  instance: string,
  reviewed: boolean,
  then: { reviewAgain: boolean; opens?: (decision: Decision, instance: string) => AppraisalEvent[] },
): AppraisalEvent[] {
  const { current, definition, ctx, open, complete } = decision;
  requireRole(ctx, ['system'], `Tracking a ${period} plan`);
  if (!definition[`${period}Plans`] || current.subject.kind !== 'employee') return [];
  const reviewKind = `${period}-plan-review` as const;
  if (reviewed) return complete(reviewKind, instance);
  const review = current.steps[stepKeyOf(reviewKind, instance)];
  const opensReview =
    // A plan arrives while the year runs, its own plan approved or not yet (weeks run regardless).
    (current.status === 'planning' || current.status === 'in-progress') &&
    stepDefinitionOf(definition, reviewKind) !== undefined &&
    (then.reviewAgain ? !review?.open : review === undefined);
  return [
    ...complete(`${period}-plan`, instance),
    ...(opensReview ? [open(reviewKind, instance)] : []),
    ...(then.opens?.(decision, instance) ?? []),
  ];
}
