import { requireRole } from '../../shared/authorize';
import { isoWeekday, isWorkingDay } from '../../calendar/business-calendar';
import { datesOfIsoWeek } from '../../weekly-plan/iso-week';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import { stepDefinitionOf, stepKeyOf } from '../appraisal.steps';
import type { Decision } from './context';

/**
 * The working days of an ISO week inside the cycle: the workflow's business calendar where it has
 * one (its weekends and holidays), Monday to Friday otherwise.
 */
export function workingDaysOfWeek(decision: Decision, week: string): string[] {
  const { current, definition } = decision;
  const first = current.cycleStartsAt.slice(0, 10);
  const end = current.cycleEndsAt.slice(0, 10);
  const calendar = definition.calendar;
  return datesOfIsoWeek(week).filter(
    (date) =>
      date >= first && date < end && (calendar ? isWorkingDay(date, calendar) : isoWeekday(date) <= 5),
  );
}

/**
 * The `daily-plan` steps a week's plan opens (ADR 0160): one per working day of the week, when the
 * workflow asks for daily plans and times them. Opened with the week's plan rather than with the
 * year's approval: five steps at a time instead of ~250 at once, and a person who has not planned the
 * week is chased by the week's own step. Left out: a day already due (nobody can plan a past day in
 * time), a day filed already (`ctx.filedDays`, read by the handler) and a day with a step already
 * (a revised week opens nothing twice).
 */
export function dailyPlanSteps(decision: Decision, week: string): AppraisalEvent[] {
  const { current, definition, ctx, at, open } = decision;
  if (!definition.dailyPlans || !stepDefinitionOf(definition, 'daily-plan')) return [];
  if (current.subject.kind !== 'employee') return [];
  if (current.status !== 'planning' && current.status !== 'in-progress') return [];
  const filed = new Set(ctx.filedDays ?? []);
  return workingDaysOfWeek(decision, week)
    .filter((date) => !filed.has(date) && !current.steps[stepKeyOf('daily-plan', date)])
    .map((date) => open('daily-plan', date))
    .filter((step) => step.data.dueAt !== null && step.data.dueAt > at);
}

/**
 * The system follows a person's day on their appraisal (ADR 0160): `filed` (the day summarized)
 * completes the day's `daily-plan` step, late if past due, and opens the superior's
 * `daily-plan-review` when the workflow times one; `reviewed` (an annotation or a score) completes
 * that review. Nothing to do is no error: the workflow may ask for no days, the step may be closed.
 */
export function trackDailyPlan(
  command: AppraisalCommandOf<'TrackDailyPlan'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, open, complete } = decision;
  requireRole(ctx, ['system'], 'Tracking a daily plan');
  if (!definition.dailyPlans || current.subject.kind !== 'employee') return [];
  const { date, progress } = command.data;
  if (progress === 'reviewed') return complete('daily-plan-review', date);
  const review = current.steps[stepKeyOf('daily-plan-review', date)];
  const opensReview =
    (current.status === 'planning' || current.status === 'in-progress') &&
    stepDefinitionOf(definition, 'daily-plan-review') !== undefined &&
    review === undefined;
  return [...complete('daily-plan', date), ...(opensReview ? [open('daily-plan-review', date)] : [])];
}
