import type Decimal from 'decimal.js';
import { IllegalStateError, NotFoundError, type Issue } from '../../shared/errors';
import type { DomainContext } from '../../shared/context';
import { requireRelation } from '../../shared/authorize';
import { dec, show } from '../../scoring/decimal';
import { levelsOf } from '../../scoring/period-score';
import type { WorkflowDefinition } from '../../workflow/workflow-definition.schema';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent, AppraisalEventOf } from '../appraisal.events';
import type { OpenedAppraisal } from '../appraisal.state';
import { weeklyPlanSteps } from './weekly-plan-steps';
import { SELF, MANAGER, NOBODY_ELSE, invalid, requireStatus, type Decision } from './context';

/** Targets for every numeric indicator: the plan's own levels where given, the template's otherwise. */
export function planTargets(
  state: OpenedAppraisal,
  definition: WorkflowDefinition,
  input: AppraisalCommandOf<'SubmitPlan'>['data']['targets'],
): AppraisalEventOf<'PlanSubmitted'>['data']['targets'] {
  const issues: Issue[] = [];
  const key = (row: { indicatorId: string; periodId?: string }) => `${row.indicatorId}@${row.periodId ?? ''}`;
  const rows = input.map((row, i) => ({ row, i }));
  const checked = rows.flatMap(({ row, i }) => {
    const indicator = definition.scorecard.indicators.find((candidate) => candidate.id === row.indicatorId);
    if (!indicator || indicator.kind !== 'numeric') {
      issues.push({
        path: `targets[${i}].indicatorId`,
        rule: 'indicator-unknown',
        message: `"${row.indicatorId}" is not a numeric indicator of the scorecard`,
      });
      return [];
    }
    if (row.periodId !== undefined && !state.periods[row.periodId])
      issues.push({
        path: `targets[${i}].periodId`,
        rule: 'period-unknown',
        message: `the cycle has no period "${row.periodId}"`,
      });
    if (rows.findIndex((other) => key(other.row) === key(row)) !== i)
      issues.push({
        path: `targets[${i}]`,
        rule: 'target-duplicate',
        message: `"${key(row)}" is given twice`,
      });
    const levels = { threshold: dec(row.threshold), target: dec(row.target), stretch: dec(row.stretch) };
    const sign = indicator.direction === 'lower' ? -1 : 1;
    const [th, tg, st] = [levels.threshold, levels.target, levels.stretch].map((value) => value.times(sign));
    const ordered =
      indicator.direction === 'range' ? th.lessThanOrEqualTo(st) : th.lessThan(tg) && tg.lessThan(st);
    if (!ordered)
      issues.push({
        path: `targets[${i}]`,
        rule: 'levels-order',
        message: `levels must run threshold → target → stretch in the ${indicator.direction}-is-better direction`,
      });
    return [{ row, levels }];
  });
  if (issues.length > 0) invalid('invalid-plan', issues);
  const render = (
    indicatorId: string,
    levels: { threshold: Decimal; target: Decimal; stretch: Decimal },
    extra: { periodId?: string; parent?: { appraisalId: string; indicatorId: string } },
  ) => ({
    indicatorId,
    ...(extra.periodId !== undefined ? { periodId: extra.periodId } : {}),
    threshold: show(levels.threshold),
    target: show(levels.target),
    stretch: show(levels.stretch),
    ...(extra.parent ? { parent: extra.parent } : {}),
  });
  // Every numeric indicator gets its annual levels (the plan's own, else the template's), then period overrides.
  const annual = definition.scorecard.indicators.flatMap((indicator) => {
    if (indicator.kind !== 'numeric') return [];
    const given = checked.find(({ row }) => row.indicatorId === indicator.id && row.periodId === undefined);
    return [
      render(
        indicator.id,
        given ? given.levels : levelsOf(indicator),
        given ? { parent: given.row.parent } : {},
      ),
    ];
  });
  const perPeriod = checked
    .filter(({ row }) => row.periodId !== undefined)
    .map(({ row, levels }) =>
      render(row.indicatorId, levels, { periodId: row.periodId, parent: row.parent }),
    );
  return [...annual, ...perPeriod];
}

export function planActions(
  definition: WorkflowDefinition,
  input: AppraisalCommandOf<'SubmitPlan'>['data']['actions'],
  ctx: DomainContext,
): {
  actions: AppraisalEventOf<'PlanSubmitted'>['data']['actions'];
  texts: AppraisalEventOf<'PlanSubmitted'>['data']['pii']['actions'];
} {
  const issues: Issue[] = [];
  input.forEach((action, i) => {
    if (
      action.indicatorId !== null &&
      !definition.scorecard.indicators.some((indicator) => indicator.id === action.indicatorId)
    )
      issues.push({
        path: `actions[${i}].indicatorId`,
        rule: 'indicator-unknown',
        message: `"${action.indicatorId}" is not an indicator of the scorecard`,
      });
  });
  if (issues.length > 0) invalid('invalid-plan', issues);
  const withIds = input.map((action) => ({ ...action, actionId: action.actionId ?? ctx.newId() }));
  return {
    actions: withIds.map(({ actionId, indicatorId, ownerEmployeeId, dueDate }) => ({
      actionId,
      indicatorId,
      ownerEmployeeId,
      dueDate,
    })),
    texts: withIds.map(({ actionId, goal, measures }) => ({ actionId, goal, measures })),
  };
}

/**
 * A plan change keeps every approved key action unless it removes it explicitly, with a reason: an
 * action silently left out of `actions` would vanish from the plan with nobody having decided so.
 */
export function requireRemovalsExplicit(
  state: OpenedAppraisal,
  kept: AppraisalCommandOf<'RequestPlanChange'>['data']['actions'],
  removed: AppraisalCommandOf<'RequestPlanChange'>['data']['removedActions'],
): void {
  const approved = state.plan.actions.map((action) => action.actionId);
  const keptIds = new Set(kept.flatMap((action) => (action.actionId ? [action.actionId] : [])));
  const removedIds = new Set(removed.map((removal) => removal.actionId));
  const dropped = approved.filter((actionId) => !keptIds.has(actionId) && !removedIds.has(actionId));
  if (dropped.length > 0)
    throw new IllegalStateError(
      'approved-action-dropped',
      `actions: approved key action${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')} missing; keep ${
        dropped.length > 1 ? 'them' : 'it'
      } in \`actions\` or remove ${dropped.length > 1 ? 'them' : 'it'} in \`removedActions\` with a reason`,
      { path: 'actions', rule: 'approved-action-kept-or-removed', actionIds: dropped },
    );
  const unknown = removed.findIndex(
    (removal) => !approved.includes(removal.actionId) || keptIds.has(removal.actionId),
  );
  if (unknown >= 0)
    throw new IllegalStateError(
      'removed-action-unknown',
      `removedActions[${unknown}].actionId: "${removed[unknown].actionId}" is not an approved key action left out of \`actions\``,
      { path: `removedActions[${unknown}].actionId`, rule: 'approved-action' },
    );
}

export function submitPlan(command: AppraisalCommandOf<'SubmitPlan'>, decision: Decision): AppraisalEvent[] {
  const { current, definition, ctx, id, at, open, complete } = decision;
  requireRelation(ctx, SELF, NOBODY_ELSE, 'Submitting the plan');
  requireStatus(current, ['planning'], 'Submitting the plan');
  if (current.plan.status === 'submitted')
    throw new IllegalStateError('plan-submitted', 'the plan is already submitted and awaits approval');
  const targets = planTargets(current, definition, command.data.targets);
  const { actions, texts } = planActions(definition, command.data.actions, ctx);
  return [
    {
      type: 'PlanSubmitted',
      data: {
        appraisalId: id,
        at,
        planVersion: current.plan.version + 1,
        targets,
        actions,
        pii: { actions: texts },
      },
    },
    ...complete('plan'),
    open('plan-approval', null),
  ];
}

/** The manager returns the plan with annotations or approves it, which opens the year's steps. */
export function reviewPlan(
  command: AppraisalCommandOf<'ReturnPlan'> | AppraisalCommandOf<'ApprovePlan'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, id, at, open, complete } = decision;
  requireRelation(
    ctx,
    MANAGER,
    NOBODY_ELSE,
    command.type === 'ApprovePlan' ? 'Approving the plan' : 'Returning the plan',
  );
  requireStatus(current, ['planning'], command.type);
  if (current.plan.status !== 'submitted')
    throw new IllegalStateError('plan-not-submitted', 'the plan has not been submitted');
  if (command.type === 'ReturnPlan')
    return [
      {
        type: 'PlanReturned',
        data: {
          appraisalId: id,
          at,
          planVersion: current.plan.version,
          pii: { annotations: command.data.annotations },
        },
      },
      ...complete('plan-approval'),
      open('plan', null),
    ];
  return [
    { type: 'PlanApproved', data: { appraisalId: id, at, planVersion: current.plan.version } },
    ...complete('plan-approval'),
    // A joiner's periods before the hire are waived already (ADR 0146): nobody files them.
    ...current.periodOrder
      .filter((periodId) => current.periods[periodId].status !== 'waived')
      .map((periodId) => open('period-review', periodId)),
    open('self-assessment', null),
    ...(definition.raterGroups.some((group) => group.group === 'peer') ? [open('peer-rating', null)] : []),
    open('manager-rating', null),
    ...weeklyPlanSteps(decision),
  ];
}

export function requestPlanChange(
  command: AppraisalCommandOf<'RequestPlanChange'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, id, at, open } = decision;
  requireRelation(
    ctx,
    { roles: ['employee', 'manager'], relations: ['self', 'manager'] },
    NOBODY_ELSE,
    'Requesting a plan change',
  );
  requireStatus(current, ['in-progress'], 'Requesting a plan change');
  if (current.plan.pendingChange)
    throw new IllegalStateError(
      'plan-change-pending',
      `change "${current.plan.pendingChange.changeId}" awaits a decision`,
    );
  const targets = planTargets(current, definition, command.data.targets);
  requireRemovalsExplicit(current, command.data.actions, command.data.removedActions);
  const { actions, texts } = planActions(definition, command.data.actions, ctx);
  const changeId = ctx.newId();
  return [
    {
      type: 'PlanChangeRequested',
      data: {
        appraisalId: id,
        at,
        changeId,
        targets,
        actions,
        pii: {
          reason: command.data.reason,
          actions: texts,
          ...(command.data.removedActions.length > 0 ? { removedActions: command.data.removedActions } : {}),
        },
      },
    },
    open('plan-approval', changeId),
  ];
}

export function decidePlanChange(
  command: AppraisalCommandOf<'ApprovePlanChange'> | AppraisalCommandOf<'RejectPlanChange'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, ctx, id, at, complete } = decision;
  requireRelation(ctx, MANAGER, NOBODY_ELSE, 'Deciding a plan change');
  requireStatus(current, ['in-progress'], 'Deciding a plan change');
  const pending = current.plan.pendingChange;
  if (!pending || pending.changeId !== command.data.changeId)
    throw new NotFoundError('plan-change-not-found', `no pending plan change "${command.data.changeId}"`);
  const decided: AppraisalEvent =
    command.type === 'ApprovePlanChange'
      ? {
          type: 'PlanChangeApproved',
          data: {
            appraisalId: id,
            at,
            changeId: pending.changeId,
            planVersion: current.plan.version + 1,
          },
        }
      : {
          type: 'PlanChangeRejected',
          data: { appraisalId: id, at, changeId: pending.changeId, pii: { reason: command.data.reason } },
        };
  return [decided, ...complete('plan-approval', pending.changeId)];
}
