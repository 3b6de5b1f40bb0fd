import { isoWeekday, isWorkingDay } from '../../calendar/business-calendar';
import { datesOfIsoWeek } from '../../weekly-plan/iso-week';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import { stepDefinitionOf } from '../appraisal.steps';
import type { Decision } from './context';
import { planStepsToOpen, trackedPlanSteps } from './plan-steps';

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
  const { current, definition, ctx } = decision;
  if (!definition.dailyPlans || !stepDefinitionOf(definition, 'daily-plan')) return [];
  if (current.subject.kind !== 'employee') return [];
  if (current.status !== 'planning' && current.status !== 'in-progress') return [];
  return planStepsToOpen(decision, 'daily', workingDaysOfWeek(decision, week), ctx.filedDays);
}

/**
 * The system follows a person's day on their appraisal (ADR 0160): `filed` (the day summarized)
 * completes the day's `daily-plan` step, late if past due, and opens the superior's
 * `daily-plan-review` when the workflow times one (once a day); `reviewed` (an annotation or a score)
 * completes that review.
 */
export function trackDailyPlan(
  command: AppraisalCommandOf<'TrackDailyPlan'>,
  decision: Decision,
): AppraisalEvent[] {
  const { date, progress } = command.data;
  return trackedPlanSteps(decision, 'daily', date, progress === 'reviewed', { reviewAgain: false });
}
