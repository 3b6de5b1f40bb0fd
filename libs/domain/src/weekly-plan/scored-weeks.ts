import type { Appraisal } from '../appraisal/appraisal.state';
import type { ScoredWeek } from '../scoring/period-score';
import { weeklyPlanIdOf, type WeeklyPlan } from './weekly-plan.decide';
import { CalendarMonth, isoWeeksBetween, isoWeeksOfMonth } from './iso-week';

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

/**
 * The person's scored weeks of the month an appraisal command scores (ADR 0131). Both write paths,
 * the API's and the worker's, read the weekly plans through `loadPlans` (plan ids in, folded plans
 * out) so the same weeks count whichever of them scores the month.
 */
export async function behaviourWeeksOf(
  appraisal: Appraisal,
  periodId: string,
  loadPlans: (weeklyPlanIds: string[]) => Promise<readonly WeeklyPlan[]>,
): Promise<ScoredWeek[]> {
  const counting = weeksCountingIn(appraisal, periodId);
  if (!counting || appraisal.status === 'empty') return [];
  const plans = await loadPlans(counting.weeks.map((week) => weeklyPlanIdOf(counting.employeeId, week)));
  return scoredWeeksOf(plans, appraisal.cycleId, periodId);
}

/**
 * The weeks of an appraisal's cycle the person has planned already (ADR 0145), for `ApprovePlan`:
 * their `weekly-plan` steps are not opened, since the submission that would close them came first.
 * Read through `loadPlans` as `behaviourWeeksOf` reads; none for an org unit's appraisal.
 */
export async function plannedWeeksOf(
  appraisal: Appraisal,
  loadPlans: (weeklyPlanIds: string[]) => Promise<readonly WeeklyPlan[]>,
): Promise<string[]> {
  if (appraisal.status === 'empty' || appraisal.subject.kind !== 'employee') return [];
  const employeeId = appraisal.subject.employeeId;
  const weeks = isoWeeksBetween(appraisal.cycleStartsAt, appraisal.cycleEndsAt);
  const plans = await loadPlans(weeks.map((week) => weeklyPlanIdOf(employeeId, week)));
  return plans.flatMap((plan) =>
    plan.status !== 'empty' && plan.cycleId === appraisal.cycleId ? [plan.week] : [],
  );
}
