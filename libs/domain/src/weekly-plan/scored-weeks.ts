import type { Appraisal } from '../appraisal/appraisal.state';
import type { ScoredWeek } from '../scoring/period-score';
import { weeklyPlanIdOf, type WeeklyPlan } from './weekly-plan.decide';
import { CalendarMonth, datesOfIsoWeek, isoWeeksBetween, isoWeeksOfMonth } from './iso-week';
import { dailyPlanIdOf, type DailyPlan } from '../daily-plan/daily-plan.decide';
import { weeksWithDays, type ScoredDay } from '../scoring/behaviour-score';
import type { WorkflowDefinition } from '../workflow/workflow-definition.schema';

/**
 * Which weekly plans count in an appraisal's period (ADR 0131): the person's ISO weeks whose
 * Thursday falls in the period's month, when the period is a month and the appraisal a person's
 * under a workflow with weekly plans; none otherwise (quarters and org units have no weeks).
 */
export function weeksCountingIn(
  appraisal: Appraisal,
  periodId: string,
): { employeeId: string; weeks: string[] } | null {
  if (appraisal.status === 'empty' || appraisal.subject.kind !== 'employee') return null;
  if (!CalendarMonth.safeParse(periodId).success) return null;
  return { employeeId: appraisal.subject.employeeId, weeks: isoWeeksOfMonth(periodId) };
}

/** The scored weeks among a person's weekly plans of a month, planned in the appraisal's cycle. */
export function scoredWeeksOf(plans: readonly WeeklyPlan[], cycleId: string, month: string): ScoredWeek[] {
  return plans.flatMap((plan) =>
    plan.status === 'scored' && plan.score !== null && plan.cycleId === cycleId && plan.month === month
      ? [{ week: plan.week, score: plan.score }]
      : [],
  );
}

/** How the write paths read a person's plans: plan ids in, folded plans out (missing: `empty`). */
export interface PlanLoaders {
  weeks: (weeklyPlanIds: string[]) => Promise<readonly WeeklyPlan[]>;
  days: (dailyPlanIds: string[]) => Promise<readonly DailyPlan[]>;
}

/**
 * The person's scored weeks of the month an appraisal command scores (ADR 0131), with their days
 * counted where the workflow says so (ADR 0161). Both write paths, the API's and the worker's, read
 * the plans through `load` so the same weeks and days count whichever of them scores the month.
 */
export async function behaviourWeeksOf(
  appraisal: Appraisal,
  periodId: string,
  definition: WorkflowDefinition,
  load: PlanLoaders,
): Promise<ScoredWeek[]> {
  const counting = weeksCountingIn(appraisal, periodId);
  if (!counting || appraisal.status === 'empty') return [];
  const plans = await load.weeks(counting.weeks.map((week) => weeklyPlanIdOf(counting.employeeId, week)));
  const weeks = scoredWeeksOf(plans, appraisal.cycleId, periodId);
  const rules = definition.dailyPlans;
  if (!rules || rules.weekScore === 'week') return weeks;
  const dates = counting.weeks.flatMap((week) => datesOfIsoWeek(week));
  const days = await load.days(dates.map((date) => dailyPlanIdOf(counting.employeeId, date)));
  return weeksWithDays(rules, weeks, scoredDaysOf(days, appraisal.cycleId), definition.rounding);
}

/** The scored days among a person's daily plans, planned in the appraisal's cycle. */
export function scoredDaysOf(plans: readonly DailyPlan[], cycleId: string): ScoredDay[] {
  return plans.flatMap((plan) =>
    plan.status === 'scored' && plan.score !== null && plan.cycleId === cycleId
      ? [{ date: plan.date, week: plan.week, score: plan.score }]
      : [],
  );
}

/**
 * The weeks of an appraisal's cycle the person has planned already (ADR 0145), for `ApprovePlan`:
 * their `weekly-plan` steps are not opened, since the submission that would close them came first.
 * Read through `loadPlans` as `behaviourWeeksOf` reads; none for an org unit's appraisal.
 */
export async function plannedWeeksOf(
  appraisal: Appraisal,
  loadPlans: PlanLoaders['weeks'],
): Promise<string[]> {
  if (appraisal.status === 'empty' || appraisal.subject.kind !== 'employee') return [];
  const employeeId = appraisal.subject.employeeId;
  const weeks = isoWeeksBetween(appraisal.cycleStartsAt, appraisal.cycleEndsAt);
  const plans = await loadPlans(weeks.map((week) => weeklyPlanIdOf(employeeId, week)));
  return plans.flatMap((plan) =>
    plan.status !== 'empty' && plan.cycleId === appraisal.cycleId ? [plan.week] : [],
  );
}

/**
 * The days of a week the person has filed (summarized) already (ADR 0160), for `TrackWeeklyPlan`:
 * their `daily-plan` steps are not opened, since the summary that would close them came first.
 */
export async function filedDaysOf(
  appraisal: Appraisal,
  week: string,
  loadDays: PlanLoaders['days'],
): Promise<string[]> {
  if (appraisal.status === 'empty' || appraisal.subject.kind !== 'employee') return [];
  const employeeId = appraisal.subject.employeeId;
  const days = await loadDays(datesOfIsoWeek(week).map((date) => dailyPlanIdOf(employeeId, date)));
  return days.flatMap((day) =>
    (day.status === 'summarized' || day.status === 'scored') && day.cycleId === appraisal.cycleId
      ? [day.date]
      : [],
  );
}
