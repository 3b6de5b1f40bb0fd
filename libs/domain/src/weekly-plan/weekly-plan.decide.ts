import { IllegalStateError, NotFoundError, ValidationError } from '../shared/errors';
import type { DomainContext } from '../shared/context';
import { requireRelation } from '../shared/authorize';
import { assertNever } from '../shared/messages';
import { dec, show } from '../scoring/decimal';
import { weekBehaviourScore } from '../scoring/behaviour-score';
import type { Cycle } from '../cycle/cycle.decide';
import type { PinnedWorkflow } from '../workflow/workflow.decide';
import type { TargetTree } from '../target-tree/target-tree.decide';
import type { WeeklyPlanCommand } from './weekly-plan.commands';
import type { WeeklyPlanEvent } from './weekly-plan.events';
import { datesOfIsoWeek, monthOfIsoWeek } from './iso-week';

type Submitted = Extract<WeeklyPlanEvent, { type: 'WeeklyPlanSubmitted' }>['data'];
type CommandOf<T extends WeeklyPlanCommand['type']> = Extract<WeeklyPlanCommand, { type: T }>;

/** What a week's and a day's state hold once planned (ADR 0154: a day is planned as a week is). */
export interface PlanState<Items extends Submitted['items'] = Submitted['items']> {
  status: 'planned' | 'summarized' | 'scored';
  planId: string;
  employeeId: string;
  cycleId: string;
  planVersion: number;
  items: Items;
  annotations: number;
  score: string | null;
}

/** One person's plan for one ISO week (stream `weekly-plan-<tenant>.<employeeId>.<week>`). */
export type WeeklyPlan = { status: 'empty' } | (PlanState & { week: string; month: string });

export const initialWeeklyPlanState = (): WeeklyPlan => ({ status: 'empty' });

/** The plan id of a person's week: one stream per person and week. */
export const weeklyPlanIdOf = (employeeId: string, week: string) => `${employeeId}.${week}`;

/** What the handler loads besides the plan: the cycle, the workflow version it pins, its target tree. */
export interface WeeklyPlanContext extends DomainContext {
  cycle: Cycle;
  workflow: PinnedWorkflow | null;
  targets?: TargetTree;
  /**
   * The person's appraisal in the plan's cycle, if the cycle opened one: named by a submission, an
   * annotation (ADR 0145, its weekly steps) and a score (ADR 0131, its month's rescoring).
   */
  appraisalId?: string | null;
}

export const rule = (path: string, code: string, message: string) =>
  new ValidationError(code, message, [{ path, rule: code, message }]);

// The superior reviews, annotates and scores; HR may act on anyone's week.
export const SUPERIOR = { roles: ['manager'] as const, relations: ['manager', 'skip-level'] as const };
export const ANY_WEEK = ['hr', 'admin'] as const;

export function rulesOf(ctx: Pick<WeeklyPlanContext, 'workflow'>) {
  const rules = ctx.workflow?.definition.weeklyPlans;
  if (!rules)
    throw new IllegalStateError(
      'weekly-plans-not-enabled',
      "the cycle's workflow defines no weekly plans (no behaviour rubric)",
    );
  return { rules, workflow: ctx.workflow! };
}

/** A week or a day: the rules below are the same for both (ADR 0154: days work as weeks do). */
type Period = 'week' | 'day';
const PLAN_OF: Record<Period, string> = { week: 'weekly plan', day: 'daily plan' };

/** The event's link to the person's appraisal in the cycle, where the handler found one. */
export const appraisalOf = (ctx: { appraisalId?: string | null }) =>
  ctx.appraisalId ? { appraisalId: ctx.appraisalId } : {};

function existing<P extends PlanState>(period: Period, state: P | { status: 'empty' }): P {
  if (state.status === 'empty') throw new NotFoundError('plan-not-found', `no such ${PLAN_OF[period]}`);
  return state as P;
}

/** A week's or a day's state once (re)submitted: its annotations kept, its score cleared. */
export function plannedState<P extends PlanState>(
  state: P | { status: 'empty' },
  plan: Omit<P, 'status' | 'annotations' | 'score'>,
) {
  return {
    status: 'planned' as const,
    ...plan,
    annotations: state.status === 'empty' ? 0 : state.annotations,
    score: null,
  };
}

/** How a week's or a day's state follows its summary, an annotation and its score. */
export const summarizedState = <S extends PlanState | { status: 'empty' }>(state: S): S =>
  state.status === 'empty' ? state : { ...state, status: 'summarized' };
export const annotatedState = <S extends PlanState | { status: 'empty' }>(state: S): S =>
  state.status === 'empty' ? state : { ...state, annotations: state.annotations + 1 };
export const scoredState = <S extends PlanState | { status: 'empty' }>(state: S, score: string): S =>
  state.status === 'empty' ? state : { ...state, status: 'scored', score };

/**
 * A week's or a day's submission: the cycle open, the planner's own plan under its id, not final
 * yet, in the cycle it was planned in, the workflow defining weekly plans. Returns the open cycle.
 */
export function checkPlanSubmission(
  period: Period,
  state: { status: 'empty' } | PlanState,
  { planId, employeeId, cycleId }: { planId: string; employeeId: string; cycleId: string },
  expected: { when: string; planId: string },
  ctx: WeeklyPlanContext,
) {
  const { cycle } = ctx;
  // A cycle this tenant does not have is absent (404), whoever asks.
  if (cycle.status !== 'open')
    throw new NotFoundError('cycle-not-open', `cycle "${cycleId}" is not open`, { path: 'cycleId' });
  if (ctx.actor.employeeId !== employeeId)
    throw rule('employeeId', 'own-plan-only', `a ${PLAN_OF[period]} is submitted by the person it plans`);
  if (planId !== expected.planId)
    throw rule('planId', 'plan-id', `the plan of ${employeeId} for ${expected.when} is "${expected.planId}"`);
  if (state.status === 'summarized' || state.status === 'scored')
    throw new IllegalStateError(`${period}-summarized`, `the ${period} is summarized: its plan is final`);
  if (state.status === 'planned' && state.cycleId !== cycleId)
    throw rule('cycleId', 'cycle-mismatch', `the ${period} is planned in cycle "${state.cycleId}"`);
  rulesOf(ctx);
  return cycle;
}

/** The planner sums up their week or day: each item's result checked, until the superior scores it. */
export function summarizedPlan<P extends PlanState>(
  period: Period,
  state: P | { status: 'empty' },
  given: CommandOf<'SummarizeWeek'>['data']['results'],
  ctx: DomainContext,
) {
  const plan = existing(period, state);
  if (ctx.actor.employeeId !== plan.employeeId)
    throw rule('planId', 'own-plan-only', `a ${period} is summarized by the person who planned it`);
  if (plan.status === 'scored')
    throw new IllegalStateError(`${period}-scored`, `the ${period} is scored already`);
  return { plan, results: checkedResults(given, plan.items) };
}

/** The superior (or HR) annotates a week's or a day's plan, or one of its items: the annotation's event data. */
export function annotatedPlan(
  period: Period,
  state: PlanState | { status: 'empty' },
  given: CommandOf<'AnnotateWeeklyPlan'>['data'],
  ctx: Pick<WeeklyPlanContext, 'appraisalId'> & DomainContext,
) {
  const plan = existing(period, state);
  requireRelation(ctx, SUPERIOR, ANY_WEEK, `Annotating a ${PLAN_OF[period]}`);
  const itemId = given.itemId ?? null;
  if (itemId !== null && !plan.items.some((item) => item.itemId === itemId))
    throw rule('itemId', 'item-not-found', `no item "${itemId}" in the plan`);
  return {
    planId: plan.planId,
    ...appraisalOf(ctx),
    annotationId: ctx.newId(),
    itemId,
    by: ctx.actor.id,
    pii: { text: given.text },
    at: ctx.now,
  };
}

/**
 * The superior (or HR) rates a summarized week or day on the workflow's behaviour rubric: the plan,
 * and what its score event records of the rating.
 */
export function ratedPlan<P extends PlanState>(
  period: Period,
  state: P | { status: 'empty' },
  given: CommandOf<'ScoreWeek'>['data']['ratings'],
  ctx: Pick<WeeklyPlanContext, 'workflow'> & DomainContext,
) {
  const plan = existing(period, state);
  requireRelation(ctx, SUPERIOR, ANY_WEEK, `Scoring a ${period}`);
  if (plan.status === 'planned')
    throw new IllegalStateError(
      `${period}-not-summarized`,
      `a ${period} is scored once the person has summarized it`,
    );
  const { workflow, ratings, score } = ratedOnRubric(given, ctx);
  return {
    plan,
    rated: {
      workflowId: workflow.workflowId,
      workflowVersion: workflow.version,
      ratings,
      score,
      by: ctx.actor.id,
      at: ctx.now,
    },
  };
}

/** Decides a weekly-plan command: a submission below, the rest by the rules a week and a day share. */
export function decideWeeklyPlan(
  command: WeeklyPlanCommand,
  state: WeeklyPlan,
  ctx: WeeklyPlanContext,
): WeeklyPlanEvent[] {
  switch (command.type) {
    case 'SubmitWeeklyPlan':
      return submitWeeklyPlan(command, state, ctx);
    case 'SummarizeWeek': {
      const { plan, results } = summarizedPlan('week', state, command.data.results, ctx);
      return [
        {
          type: 'WeekSummarized',
          data: { planId: plan.planId, results, pii: { summary: command.data.summary }, at: ctx.now },
        },
      ];
    }
    case 'AnnotateWeeklyPlan':
      return [{ type: 'WeeklyPlanAnnotated', data: annotatedPlan('week', state, command.data, ctx) }];
    case 'ScoreWeek': {
      const { plan, rated } = ratedPlan('week', state, command.data.ratings, ctx);
      return [
        {
          type: 'WeekScored',
          data: { planId: plan.planId, month: plan.month, ...appraisalOf(ctx), ...rated },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

/** The person plans (or plans again) their week: items checked against the cycle's target tree, days within the week. */
function submitWeeklyPlan(
  command: CommandOf<'SubmitWeeklyPlan'>,
  state: WeeklyPlan,
  ctx: WeeklyPlanContext,
): WeeklyPlanEvent[] {
  const { planId, employeeId, cycleId, week, items, days } = command.data;
  const cycle = checkPlanSubmission(
    'week',
    state,
    command.data,
    { when: week, planId: weeklyPlanIdOf(employeeId, week) },
    ctx,
  );
  const dates = datesOfIsoWeek(week);
  if (dates[6] < cycle.startsAt.slice(0, 10) || dates[0] >= cycle.endsAt.slice(0, 10))
    throw rule('week', 'week-outside-cycle', `${week} is outside the cycle`);
  const itemIds = items.map((item) => item.itemId);
  const checked = checkedItems(items, employeeId, ctx.targets);
  days.forEach((day, index) => {
    if (!dates.includes(day.date))
      throw rule(`days.${index}.date`, 'day-outside-week', `${day.date} is not in ${week}`);
    const unknown = day.itemIds.find((itemId) => !itemIds.includes(itemId));
    if (unknown) throw rule(`days.${index}.itemIds`, 'item-not-found', `no item "${unknown}" in the plan`);
  });
  return [
    {
      type: 'WeeklyPlanSubmitted',
      data: {
        planId,
        employeeId,
        ...appraisalOf(ctx),
        cycleId,
        week,
        month: monthOfIsoWeek(week),
        planVersion: state.status === 'empty' ? 1 : state.planVersion + 1,
        items: checked,
        days: days.map(({ date, itemIds: planned }) => ({ date, itemIds: planned })),
        pii: {
          items: itemTexts(items),
          days: days.flatMap((day) => (day.note ? [{ date: day.date, note: day.note }] : [])),
        },
        at: ctx.now,
      },
    },
  ];
}

type PlanItemInput = CommandOf<'SubmitWeeklyPlan'>['data']['items'][number];

/**
 * A plan's items as recorded, for a week or a day (ADR 0154: days work as weeks do): ids unique,
 * figures on numbers only, each target a person-level target of the planner's, its indicator copied.
 */
export function checkedItems(items: readonly PlanItemInput[], employeeId: string, targets?: TargetTree) {
  const itemIds = items.map((item) => item.itemId);
  itemIds.forEach((itemId, index) => {
    if (itemIds.indexOf(itemId) !== index)
      throw rule(`items.${index}.itemId`, 'duplicate-item', `item "${itemId}" appears twice`);
  });
  return items.map((item, index) => {
    if (item.kind === 'number' && item.planned === undefined)
      throw rule(`items.${index}.planned`, 'planned-required', 'a number item needs its planned figure');
    if (item.kind === 'action' && item.planned !== undefined)
      throw rule(`items.${index}.planned`, 'action-has-no-figure', 'an action item has no planned figure');
    let indicatorId: string | null = null;
    if (item.targetId !== undefined) {
      const target = targets?.targets[item.targetId];
      if (!target)
        throw new NotFoundError('target-not-found', `items.${index}.targetId: no target "${item.targetId}"`, {
          path: `items.${index}.targetId`,
        });
      if (target.level !== 'person' || target.ownerId !== employeeId)
        throw rule(
          `items.${index}.targetId`,
          'not-own-target',
          `"${item.targetId}" is not a target of ${employeeId}`,
        );
      indicatorId = target.indicatorId;
    }
    return {
      itemId: item.itemId,
      kind: item.kind,
      targetId: item.targetId ?? null,
      indicatorId,
      planned: item.planned === undefined ? null : show(dec(item.planned)),
      externalRecords: item.externalRecords.map(({ system, recordId }) => ({ system, recordId })),
    };
  });
}

/** The personal words of a plan's items: their texts and the external records' labels. */
export const itemTexts = (items: readonly PlanItemInput[]) =>
  items.map((item) => ({
    itemId: item.itemId,
    text: item.text,
    recordLabels: item.externalRecords.map(({ recordId, label }) => ({ recordId, label })),
  }));

/** Each reported item's actual (numbers) or whether it was done (actions), for a week or a day. */
export function checkedResults(
  given: CommandOf<'SummarizeWeek'>['data']['results'],
  items: Submitted['items'],
) {
  return given.map((result, index) => {
    const item = items.find((candidate) => candidate.itemId === result.itemId);
    if (!item)
      throw rule(`results.${index}.itemId`, 'item-not-found', `no item "${result.itemId}" in the plan`);
    if (item.kind === 'number' && result.actual === undefined)
      throw rule(`results.${index}.actual`, 'actual-required', 'a number item reports its actual');
    if (item.kind === 'action' && result.done === undefined)
      throw rule(`results.${index}.done`, 'done-required', 'an action item reports whether it was done');
    return {
      itemId: result.itemId,
      actual: result.actual === undefined ? null : show(dec(result.actual)),
      done: result.done ?? null,
    };
  });
}

/**
 * Ratings on the workflow's behaviour rubric (one per criterion, within its scale) and their
 * weighted score, rounded by the workflow's rule: for a week, and for a day as for a week.
 */
export function ratedOnRubric(
  given: CommandOf<'ScoreWeek'>['data']['ratings'],
  ctx: Pick<WeeklyPlanContext, 'workflow'>,
) {
  const { rules, workflow } = rulesOf(ctx);
  const rated = new Map<string, string>();
  given.forEach((rating, index) => {
    const path = `ratings.${index}`;
    if (!rules.rubric.some((criterion) => criterion.id === rating.criterionId))
      throw rule(
        `${path}.criterionId`,
        'criterion-unknown',
        `the rubric has no criterion "${rating.criterionId}"`,
      );
    if (rated.has(rating.criterionId))
      throw rule(`${path}.criterionId`, 'duplicate-criterion', `"${rating.criterionId}" is rated twice`);
    const score = dec(rating.score);
    if (score.lessThan(dec(rules.scale.min)) || score.greaterThan(dec(rules.scale.max)))
      throw rule(
        `${path}.score`,
        'out-of-scale',
        `a rating is between ${rules.scale.min} and ${rules.scale.max}`,
      );
    rated.set(rating.criterionId, show(score));
  });
  const missing = rules.rubric.find((criterion) => !rated.has(criterion.id));
  if (missing) throw rule('ratings', 'criterion-missing', `the rubric's "${missing.id}" is not rated`);
  const ratings = rules.rubric.map((criterion) => ({
    criterionId: criterion.id,
    score: rated.get(criterion.id)!,
  }));
  const score = weekBehaviourScore(rules, Object.fromEntries(rated), workflow.definition.rounding);
  return { workflow, ratings, score };
}

export function evolveWeeklyPlan(state: WeeklyPlan, event: WeeklyPlanEvent): WeeklyPlan {
  switch (event.type) {
    case 'WeeklyPlanSubmitted': {
      const { planId, employeeId, cycleId, week, month, planVersion, items } = event.data;
      return plannedState(state, { planId, employeeId, cycleId, week, month, planVersion, items });
    }
    case 'WeekSummarized':
      return summarizedState(state);
    case 'WeeklyPlanAnnotated':
      return annotatedState(state);
    case 'WeekScored':
      return scoredState(state, event.data.score);
    default:
      return assertNever(event);
  }
}
