import { IllegalStateError, NotFoundError } from '../shared/errors';
import type { DomainContext } from '../shared/context';
import { requireRelation } from '../shared/authorize';
import { assertNever } from '../shared/messages';
import type { Cycle } from '../cycle/cycle.decide';
import type { PinnedWorkflow } from '../workflow/workflow.decide';
import type { TargetTree } from '../target-tree/target-tree.decide';
import { isoWeekOf, monthOfIsoWeek } from '../weekly-plan/iso-week';
import {
  ANY_WEEK,
  checkedItems,
  checkedResults,
  itemTexts,
  ratedOnRubric,
  rule,
  rulesOf,
  SUPERIOR,
  type WeeklyPlan,
} from '../weekly-plan/weekly-plan.decide';
import type { DailyPlanCommand } from './daily-plan.commands';
import type { DailyPlanEvent } from './daily-plan.events';

type Submitted = Extract<DailyPlanEvent, { type: 'DailyPlanSubmitted' }>['data'];
type CommandOf<T extends DailyPlanCommand['type']> = Extract<DailyPlanCommand, { type: T }>;

/** One person's plan for one day (stream `daily-plan-<tenant>.<employeeId>.<date>`, ADR 0154). */
export type DailyPlan =
  | { status: 'empty' }
  | {
      status: 'planned' | 'summarized' | 'scored';
      planId: string;
      employeeId: string;
      cycleId: string;
      date: string;
      week: string;
      planVersion: number;
      items: Submitted['items'];
      annotations: number;
      score: string | null;
    };

export const initialDailyPlanState = (): DailyPlan => ({ status: 'empty' });

/** The plan id of a person's day: one stream per person and day. */
export const dailyPlanIdOf = (employeeId: string, date: string) => `${employeeId}.${date}`;

/**
 * What the handler loads besides the day: the cycle, the workflow version it pins (its rubric), and
 * on submission the cycle's target tree and the person's plan of the day's week (for `weekItemId`).
 */
export interface DailyPlanContext extends DomainContext {
  cycle: Cycle;
  workflow: PinnedWorkflow | null;
  targets?: TargetTree;
  week?: WeeklyPlan;
  /** The person's appraisal in the cycle, named by the day's summary, annotations and scores (ADR 0160). */
  appraisalId?: string | null;
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
      const plan = existing(state);
      if (ctx.actor.employeeId !== plan.employeeId)
        throw rule('planId', 'own-plan-only', 'a day is summarized by the person who planned it');
      if (plan.status === 'scored') throw new IllegalStateError('day-scored', 'the day is scored already');
      const results = checkedResults(command.data.results, plan.items);
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
    case 'AnnotateDailyPlan': {
      const plan = existing(state);
      requireRelation(ctx, SUPERIOR, ANY_WEEK, 'Annotating a daily plan');
      const itemId = command.data.itemId ?? null;
      if (itemId !== null && !plan.items.some((item) => item.itemId === itemId))
        throw rule('itemId', 'item-not-found', `no item "${itemId}" in the plan`);
      return [
        {
          type: 'DailyPlanAnnotated',
          data: {
            planId: plan.planId,
            ...appraisalOf(ctx),
            annotationId: ctx.newId(),
            itemId,
            by: ctx.actor.id,
            pii: { text: command.data.text },
            at: ctx.now,
          },
        },
      ];
    }
    case 'ScoreDay': {
      const plan = existing(state);
      requireRelation(ctx, SUPERIOR, ANY_WEEK, 'Scoring a day');
      if (plan.status === 'planned')
        throw new IllegalStateError(
          'day-not-summarized',
          'a day is scored once the person has summarized it',
        );
      const { workflow, ratings, score } = ratedOnRubric(command.data.ratings, ctx);
      return [
        {
          type: 'DayScored',
          data: {
            planId: plan.planId,
            ...appraisalOf(ctx),
            week: plan.week,
            workflowId: workflow.workflowId,
            workflowVersion: workflow.version,
            ratings,
            score,
            by: ctx.actor.id,
            at: ctx.now,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

const appraisalOf = (ctx: DailyPlanContext) => (ctx.appraisalId ? { appraisalId: ctx.appraisalId } : {});

function existing(state: DailyPlan): Exclude<DailyPlan, { status: 'empty' }> {
  if (state.status === 'empty') throw new NotFoundError('plan-not-found', 'no such daily plan');
  return state;
}

/** The person plans (or plans again) their day: items as a week's, each linked to the week's plan if named. */
function submitDailyPlan(
  command: CommandOf<'SubmitDailyPlan'>,
  state: DailyPlan,
  ctx: DailyPlanContext,
): DailyPlanEvent[] {
  const { planId, employeeId, cycleId, date, items } = command.data;
  if (ctx.cycle.status !== 'open')
    throw new NotFoundError('cycle-not-open', `cycle "${cycleId}" is not open`, { path: 'cycleId' });
  if (ctx.actor.employeeId !== employeeId)
    throw rule('employeeId', 'own-plan-only', 'a daily plan is submitted by the person it plans');
  if (planId !== dailyPlanIdOf(employeeId, date))
    throw rule(
      'planId',
      'plan-id',
      `the plan of ${employeeId} for ${date} is "${dailyPlanIdOf(employeeId, date)}"`,
    );
  if (state.status === 'summarized' || state.status === 'scored')
    throw new IllegalStateError('day-summarized', 'the day is summarized: its plan is final');
  if (state.status === 'planned' && state.cycleId !== cycleId)
    throw rule('cycleId', 'cycle-mismatch', `the day is planned in cycle "${state.cycleId}"`);
  rulesOf(ctx);
  if (date < ctx.cycle.startsAt.slice(0, 10) || date >= ctx.cycle.endsAt.slice(0, 10))
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
      return {
        status: 'planned',
        planId,
        employeeId,
        cycleId,
        date,
        week,
        planVersion,
        items,
        annotations: state.status === 'empty' ? 0 : state.annotations,
        score: null,
      };
    }
    case 'DaySummarized':
      return state.status === 'empty' ? state : { ...state, status: 'summarized' };
    case 'DailyPlanAnnotated':
      return state.status === 'empty' ? state : { ...state, annotations: state.annotations + 1 };
    case 'DayScored':
      return state.status === 'empty' ? state : { ...state, status: 'scored', score: event.data.score };
    default:
      return assertNever(event);
  }
}
