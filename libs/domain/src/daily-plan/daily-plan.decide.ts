import { assertNever } from '../shared/messages';
import { isoWeekOf, monthOfIsoWeek } from '../weekly-plan/iso-week';
import {
  annotatedPlan,
  annotatedState,
  appraisalOf,
  checkedItems,
  checkPlanSubmission,
  itemTexts,
  plannedState,
  ratedPlan,
  rule,
  scoredState,
  summarizedPlan,
  summarizedState,
  type PlanState,
  type WeeklyPlan,
  type WeeklyPlanContext,
} from '../weekly-plan/weekly-plan.decide';
import type { DailyPlanCommand } from './daily-plan.commands';
import type { DailyPlanEvent } from './daily-plan.events';

type Submitted = Extract<DailyPlanEvent, { type: 'DailyPlanSubmitted' }>['data'];
type CommandOf<T extends DailyPlanCommand['type']> = Extract<DailyPlanCommand, { type: T }>;

/** One person's plan for one day (stream `daily-plan-<tenant>.<employeeId>.<date>`, ADR 0154). */
export type DailyPlan =
  { status: 'empty' } | (PlanState<Submitted['items']> & { date: string; week: string });

export const initialDailyPlanState = (): DailyPlan => ({ status: 'empty' });

/** The plan id of a person's day: one stream per person and day. */
export const dailyPlanIdOf = (employeeId: string, date: string) => `${employeeId}.${date}`;

/**
 * What the handler loads besides the day: the cycle and the workflow version it pins; on submission
 * the cycle's target tree and the person's plan of the day's week (for `weekItemId`); otherwise,
 * where the workflow asks for days, the person's appraisal, which the day's summary, annotations and
 * scores name (ADR 0160).
 */
export interface DailyPlanContext extends WeeklyPlanContext {
  week?: WeeklyPlan;
}

/** Decides a daily-plan command: the weekly plan's rules, by the day. */
export function decideDailyPlan(
  command: DailyPlanCommand,
  state: DailyPlan,
  ctx: DailyPlanContext,
): DailyPlanEvent[] {
  switch (command.type) {
    case 'SubmitDailyPlan':
      return submitDailyPlan(command, state, ctx);
    case 'SummarizeDay': {
      const { plan, results } = summarizedPlan('day', state, command.data.results, ctx);
      return [
        {
          type: 'DaySummarized',
          data: {
            planId: plan.planId,
            ...appraisalOf(ctx),
            results,
            pii: { summary: command.data.summary },
            at: ctx.now,
          },
        },
      ];
    }
    case 'AnnotateDailyPlan':
      return [{ type: 'DailyPlanAnnotated', data: annotatedPlan('day', state, command.data, ctx) }];
    case 'ScoreDay': {
      const { plan, rated } = ratedPlan('day', state, command.data.ratings, ctx);
      return [
        {
          type: 'DayScored',
          data: { planId: plan.planId, ...appraisalOf(ctx), week: plan.week, ...rated },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

/** The person plans (or plans again) their day: items as a week's, each linked to the week's plan if named. */
function submitDailyPlan(
  command: CommandOf<'SubmitDailyPlan'>,
  state: DailyPlan,
  ctx: DailyPlanContext,
): DailyPlanEvent[] {
  const { planId, employeeId, cycleId, date, items } = command.data;
  const cycle = checkPlanSubmission(
    'day',
    state,
    command.data,
    { when: date, planId: dailyPlanIdOf(employeeId, date) },
    ctx,
  );
  if (date < cycle.startsAt.slice(0, 10) || date >= cycle.endsAt.slice(0, 10))
    throw rule('date', 'day-outside-cycle', `${date} is outside the cycle`);
  const week = isoWeekOf(date);
  const checked = checkedItems(items, employeeId, ctx.targets).map((item, index) => {
    const weekItemId = items[index].weekItemId ?? null;
    if (weekItemId !== null) {
      const planned = ctx.week;
      if (!planned || planned.status === 'empty' || planned.cycleId !== cycleId)
        throw rule(
          `items.${index}.weekItemId`,
          'week-not-planned',
          `${week} has no plan in cycle "${cycleId}"`,
        );
      if (!planned.items.some((candidate) => candidate.itemId === weekItemId))
        throw rule(
          `items.${index}.weekItemId`,
          'week-item-not-found',
          `no item "${weekItemId}" in the plan of ${week}`,
        );
    }
    return { ...item, weekItemId };
  });
  return [
    {
      type: 'DailyPlanSubmitted',
      data: {
        planId,
        employeeId,
        cycleId,
        date,
        week,
        month: monthOfIsoWeek(week),
        planVersion: state.status === 'empty' ? 1 : state.planVersion + 1,
        items: checked,
        pii: { items: itemTexts(items) },
        at: ctx.now,
      },
    },
  ];
}

export function evolveDailyPlan(state: DailyPlan, event: DailyPlanEvent): DailyPlan {
  switch (event.type) {
    case 'DailyPlanSubmitted': {
      const { planId, employeeId, cycleId, date, week, planVersion, items } = event.data;
      return plannedState(state, { planId, employeeId, cycleId, date, week, planVersion, items });
    }
    case 'DaySummarized':
      return summarizedState(state);
    case 'DailyPlanAnnotated':
      return annotatedState(state);
    case 'DayScored':
      return scoredState(state, event.data.score);
    default:
      return assertNever(event);
  }
}
