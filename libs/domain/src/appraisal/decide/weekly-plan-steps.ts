import { requireRole } from '../../shared/authorize';
import { isoWeeksBetween } from '../../weekly-plan/iso-week';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import { stepDefinitionOf } from '../appraisal.steps';
import type { Decision } from './context';
import { dailyPlanSteps } from './daily-plan-steps';
import { planStepsToOpen, trackedPlanSteps } from './plan-steps';

/**
 * The `weekly-plan` steps the plan's approval opens (ADR 0145): one per ISO week of the cycle, each
 * due by the workflow's days after its Monday, when the workflow runs weekly plans and times them.
 * A week already due at the approval is not chased: the person could not have planned it in a
 * running year, and a dozen missed deadlines at once would tell nobody anything. Nor is a week the
 * person planned before the approval (`ctx.plannedWeeks`, read by the handler).
 */
export function weeklyPlanSteps(decision: Decision): AppraisalEvent[] {
  const { current, definition, ctx } = decision;
  if (!definition.weeklyPlans || !stepDefinitionOf(definition, 'weekly-plan')) return [];
  if (current.subject.kind !== 'employee') return [];
  const weeks = isoWeeksBetween(current.cycleStartsAt, current.cycleEndsAt);
  return planStepsToOpen(decision, 'weekly', weeks, ctx.plannedWeeks);
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
 * sees it: `submitted` completes the week's `weekly-plan` step, opens its `weekly-plan-review` for
 * the superior (again after a revised plan, whose review is a new occurrence) and the week's
 * `daily-plan` steps; `reviewed` (an annotation or a score) completes the review.
 */
export function trackWeeklyPlan(
  command: AppraisalCommandOf<'TrackWeeklyPlan'>,
  decision: Decision,
): AppraisalEvent[] {
  const { week, progress } = command.data;
  return trackedPlanSteps(decision, 'weekly', week, progress === 'reviewed', {
    reviewAgain: true,
    opens: dailyPlanSteps,
  });
}
