import { requireRole } from '../../shared/authorize';
import { isoWeeksBetween } from '../../weekly-plan/iso-week';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import { stepDefinitionOf, stepKeyOf } from '../appraisal.steps';
import type { Decision } from './context';
import { dailyPlanSteps } from './daily-plan-steps';

/**
 * The `weekly-plan` steps the plan's approval opens (ADR 0145): one per ISO week of the cycle, each
 * due by the workflow's days after its Monday, when the workflow runs weekly plans and times them.
 * A week already due at the approval is not chased: the person could not have planned it in a
 * running year, and a dozen missed deadlines at once would tell nobody anything. Nor is a week the
 * person planned before the approval (`ctx.plannedWeeks`, read by the handler).
 */
export function weeklyPlanSteps(decision: Decision): AppraisalEvent[] {
  const { current, definition, ctx, at, open } = decision;
  if (!definition.weeklyPlans || !stepDefinitionOf(definition, 'weekly-plan')) return [];
  if (current.subject.kind !== 'employee') return [];
  const planned = new Set(ctx.plannedWeeks ?? []);
  return isoWeeksBetween(current.cycleStartsAt, current.cycleEndsAt)
    .filter((week) => !planned.has(week) && !current.steps[stepKeyOf('weekly-plan', week)])
    .map((week) => open('weekly-plan', week))
    .filter((step) => step.data.dueAt !== null && step.data.dueAt > at);
}

/**
 * The catch-up of ADR 0153: an appraisal approved before weekly plans were steps (ADR 0145), or
 * migrated since to a workflow version that times them, gets the `weekly-plan` steps its approval
 * would open now: the weeks still to come, neither planned (`ctx.plannedWeeks`) nor opened before.
 * Sent to every approved appraisal, so nothing to do is no error: a running year only (a plan not
 * yet approved opens its weeks at the approval; a scored year has none left to chase).
 */
export function openWeeklyPlanSteps(decision: Decision): AppraisalEvent[] {
  requireRole(decision.ctx, ['system'], 'Opening weekly-plan steps');
  if (decision.current.status !== 'in-progress') return [];
  return weeklyPlanSteps(decision);
}

/**
 * The system follows a person's weekly plan on their appraisal (ADR 0145), as the process manager
 * sees it: `submitted` completes the week's `weekly-plan` step and opens its `weekly-plan-review`
 * for the superior (again after a revised plan, whose review is a new occurrence); `reviewed` (an
 * annotation or a score) completes the review. Nothing to do is no error: the workflow may time no
 * weekly steps, the week's step may be closed already or never opened.
 */
export function trackWeeklyPlan(
  command: AppraisalCommandOf<'TrackWeeklyPlan'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, open, complete } = decision;
  requireRole(ctx, ['system'], 'Tracking a weekly plan');
  if (!definition.weeklyPlans || current.subject.kind !== 'employee') return [];
  const { week, progress } = command.data;
  if (progress === 'reviewed') return complete('weekly-plan-review', week);
  const review = current.steps[stepKeyOf('weekly-plan-review', week)];
  const opensReview =
    // A plan arrives while the year runs, its own plan approved or not yet (weeks run regardless).
    (current.status === 'planning' || current.status === 'in-progress') &&
    stepDefinitionOf(definition, 'weekly-plan-review') !== undefined &&
    !review?.open;
  return [
    ...complete('weekly-plan', week),
    ...(opensReview ? [open('weekly-plan-review', week)] : []),
    ...dailyPlanSteps(decision, week),
  ];
}
