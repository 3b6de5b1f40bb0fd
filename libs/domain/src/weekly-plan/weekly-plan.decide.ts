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

/** One person's plan for one ISO week (stream `weekly-plan-<tenant>.<employeeId>.<week>`). */
export type WeeklyPlan =
  | { status: 'empty' }
  | {
      status: 'planned' | 'summarized' | 'scored';
      planId: string;
      employeeId: string;
      cycleId: string;
      week: string;
      month: string;
      planVersion: number;
      items: Submitted['items'];
      annotations: number;
      score: string | null;
    };

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

/** Decides a weekly-plan command: one function per command below. */
export function decideWeeklyPlan(
  command: WeeklyPlanCommand,
  state: WeeklyPlan,
  ctx: WeeklyPlanContext,
): WeeklyPlanEvent[] {
  switch (command.type) {
    case 'SubmitWeeklyPlan':
      return submitWeeklyPlan(command, state, ctx);
    case 'SummarizeWeek':
      return summarizeWeek(command, state, ctx);
    case 'AnnotateWeeklyPlan':
      return annotateWeeklyPlan(command, state, ctx);
    case 'ScoreWeek':
      return scoreWeek(command, state, ctx);
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
  // A cycle this tenant does not have is absent (404), whoever asks.
  if (ctx.cycle.status !== 'open')
    throw new NotFoundError('cycle-not-open', `cycle "${cycleId}" is not open`, { path: 'cycleId' });
  if (ctx.actor.employeeId !== employeeId)
    throw rule('employeeId', 'own-plan-only', 'a weekly plan is submitted by the person it plans');
  if (planId !== weeklyPlanIdOf(employeeId, week))
    throw rule(
      'planId',
      'plan-id',
      `the plan of ${employeeId} for ${week} is "${weeklyPlanIdOf(employeeId, week)}"`,
    );
  if (state.status === 'summarized' || state.status === 'scored')
    throw new IllegalStateError('week-summarized', 'the week is summarized: its plan is final');
  if (state.status === 'planned' && state.cycleId !== cycleId)
    throw rule('cycleId', 'cycle-mismatch', `the week is planned in cycle "${state.cycleId}"`);
  rulesOf(ctx);
  const dates = datesOfIsoWeek(week);
  if (dates[6] < ctx.cycle.startsAt.slice(0, 10) || dates[0] >= ctx.cycle.endsAt.slice(0, 10))
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
        ...(ctx.appraisalId ? { appraisalId: ctx.appraisalId } : {}),
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

/** The person reports each item's actual or whether it was done, and sums up the week. */
function summarizeWeek(
  command: CommandOf<'SummarizeWeek'>,
  state: WeeklyPlan,
  ctx: WeeklyPlanContext,
): WeeklyPlanEvent[] {
  if (state.status === 'empty') throw new NotFoundError('plan-not-found', 'no such weekly plan');
  if (ctx.actor.employeeId !== state.employeeId)
    throw rule('planId', 'own-plan-only', 'a week is summarized by the person who planned it');
  if (state.status === 'scored') throw new IllegalStateError('week-scored', 'the week is scored already');
  const results = checkedResults(command.data.results, state.items);
  return [
    {
      type: 'WeekSummarized',
      data: { planId: state.planId, results, pii: { summary: command.data.summary }, at: ctx.now },
    },
  ];
}

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

/** The superior (or HR) annotates the plan, or one of its items. */
function annotateWeeklyPlan(
  command: CommandOf<'AnnotateWeeklyPlan'>,
  state: WeeklyPlan,
  ctx: WeeklyPlanContext,
): WeeklyPlanEvent[] {
  if (state.status === 'empty') throw new NotFoundError('plan-not-found', 'no such weekly plan');
  requireRelation(ctx, SUPERIOR, ANY_WEEK, 'Annotating a weekly plan');
  const itemId = command.data.itemId ?? null;
  if (itemId !== null && !state.items.some((item) => item.itemId === itemId))
    throw rule('itemId', 'item-not-found', `no item "${itemId}" in the plan`);
  return [
    {
      type: 'WeeklyPlanAnnotated',
      data: {
        planId: state.planId,
        ...(ctx.appraisalId ? { appraisalId: ctx.appraisalId } : {}),
        annotationId: ctx.newId(),
        itemId,
        by: ctx.actor.id,
        pii: { text: command.data.text },
        at: ctx.now,
      },
    },
  ];
}

/** The superior (or HR) rates the summarized week on the workflow's behaviour rubric. */
function scoreWeek(
  command: CommandOf<'ScoreWeek'>,
  state: WeeklyPlan,
  ctx: WeeklyPlanContext,
): WeeklyPlanEvent[] {
  if (state.status === 'empty') throw new NotFoundError('plan-not-found', 'no such weekly plan');
  requireRelation(ctx, SUPERIOR, ANY_WEEK, 'Scoring a week');
  if (state.status === 'planned')
    throw new IllegalStateError('week-not-summarized', 'a week is scored once the person has summarized it');
  const { workflow, ratings, score } = ratedOnRubric(command.data.ratings, ctx);
  return [
    {
      type: 'WeekScored',
      data: {
        planId: state.planId,
        month: state.month,
        ...(ctx.appraisalId ? { appraisalId: ctx.appraisalId } : {}),
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
      return {
        status: 'planned',
        planId,
        employeeId,
        cycleId,
        week,
        month,
        planVersion,
        items,
        annotations: state.status === 'empty' ? 0 : state.annotations,
        score: null,
      };
    }
    case 'WeekSummarized':
      return state.status === 'empty' ? state : { ...state, status: 'summarized' };
    case 'WeeklyPlanAnnotated':
      return state.status === 'empty' ? state : { ...state, annotations: state.annotations + 1 };
    case 'WeekScored':
      return state.status === 'empty' ? state : { ...state, status: 'scored', score: event.data.score };
    default:
      return assertNever(event);
  }
}
