import { IllegalStateError, type Issue } from '../../shared/errors';
import { requireRelation, requireRole } from '../../shared/authorize';
import { dec, show } from '../../scoring/decimal';
import { scorePeriod, levelsOf, type TargetLevels } from '../../scoring/period-score';
import type { StepKind, WorkflowDefinition } from '../../workflow/workflow-definition.schema';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import type { OpenedAppraisal } from '../appraisal.state';
import {
  SELF,
  MANAGER,
  NOBODY_ELSE,
  HR,
  invalid,
  requireStatus,
  periodOf,
  targetMap,
  type AppraisalContext,
  type Step,
  type Decision,
} from './context';

export function filePeriodReview(
  command: AppraisalCommandOf<'FilePeriodReview'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, id, at, open, complete } = decision;
  requireRelation(ctx, SELF, NOBODY_ELSE, 'Filing a period review');
  requireStatus(current, ['in-progress'], 'Filing a period review');
  const period = periodOf(current, command.data.periodId);
  if (at < period.startsAt)
    throw new IllegalStateError(
      'period-not-started',
      `period ${period.periodId} starts at ${period.startsAt}`,
    );
  // A month is reviewed once it is over; a workflow may open the window a few days earlier.
  const opensAt = new Date(
    new Date(period.endsAt).getTime() - (definition.earlyFilingDays ?? 0) * 86_400_000,
  ).toISOString();
  if (at < opensAt)
    throw new IllegalStateError(
      'period-not-ended',
      `periodId: the review of ${period.periodId} can be filed from ${opensAt} (the period ends at ${period.endsAt})`,
      { path: 'periodId', periodId: period.periodId, endsAt: period.endsAt, opensAt },
    );
  if (period.status !== 'pending' && period.status !== 'returned')
    throw new IllegalStateError(
      'period-review-filed',
      `the review of ${period.periodId} is already ${period.status}`,
    );
  const issues: Issue[] = [];
  const indicators = definition.scorecard.indicators;
  command.data.actuals.forEach((row, i) => {
    if (!indicators.some((indicator) => indicator.id === row.indicatorId))
      issues.push({
        path: `actuals[${i}].indicatorId`,
        rule: 'indicator-unknown',
        message: `"${row.indicatorId}" is not an indicator of the scorecard`,
      });
    else if (command.data.actuals.findIndex((other) => other.indicatorId === row.indicatorId) !== i)
      issues.push({
        path: `actuals[${i}].indicatorId`,
        rule: 'actual-duplicate',
        message: `"${row.indicatorId}" is given twice`,
      });
  });
  for (const indicator of indicators) {
    // An actual another system filed counts without the person repeating it.
    if (
      !command.data.actuals.some((row) => row.indicatorId === indicator.id) &&
      !period.imported?.[indicator.id]
    )
      issues.push({
        path: 'actuals',
        rule: 'actual-missing',
        message: `no actual for "${indicator.id}"`,
      });
    else if (
      indicator.evidenceRequired &&
      !command.data.attachments.some((row) => row.indicatorId === indicator.id)
    )
      issues.push({
        path: 'attachments',
        rule: 'evidence-required',
        message: `"${indicator.id}" needs evidence attached`,
      });
  }
  if (issues.length > 0) invalid('invalid-period-review', issues);
  const { gapReasons, improvementProposals, supportRequests } = command.data;
  return [
    {
      type: 'PeriodReviewFiled',
      data: {
        appraisalId: id,
        at,
        periodId: period.periodId,
        actuals: command.data.actuals.map((row) => ({
          indicatorId: row.indicatorId,
          actual: show(dec(row.actual)),
        })),
        attachments: command.data.attachments,
        pii: { gapReasons, improvementProposals, supportRequests },
      },
    },
    ...complete('period-review', period.periodId),
    open('period-assessment', period.periodId),
  ];
}

export function assessPeriodReview(
  command: AppraisalCommandOf<'ReturnPeriodReview'> | AppraisalCommandOf<'AssessPeriodReview'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, ctx, id, at, open, complete } = decision;
  requireRelation(ctx, MANAGER, NOBODY_ELSE, 'Assessing a period review');
  requireStatus(current, ['in-progress'], 'Assessing a period review');
  const period = periodOf(current, command.data.periodId);
  if (period.status !== 'filed')
    throw new IllegalStateError(
      'period-review-not-filed',
      `the review of ${period.periodId} is ${period.status}, not filed`,
    );
  if (command.type === 'ReturnPeriodReview')
    return [
      {
        type: 'PeriodReviewReturned',
        data: {
          appraisalId: id,
          at,
          periodId: period.periodId,
          pii: { annotations: command.data.annotations },
        },
      },
      ...complete('period-assessment', period.periodId),
      open('period-review', period.periodId),
    ];
  const issues: Issue[] = [];
  command.data.corrections.forEach((correction, i) => {
    if (period.actuals[correction.indicatorId] === undefined)
      issues.push({
        path: `corrections[${i}].indicatorId`,
        rule: 'indicator-unknown',
        message: `"${correction.indicatorId}" has no filed actual`,
      });
    if (correction.reason.trim() === '')
      issues.push({
        path: `corrections[${i}].reason`,
        rule: 'reason-required',
        message: 'a correction needs a reason',
      });
  });
  if (issues.length > 0) invalid('invalid-assessment', issues);
  return [
    {
      type: 'PeriodReviewAssessed',
      data: {
        appraisalId: id,
        at,
        periodId: period.periodId,
        corrections: command.data.corrections.map((c) => ({
          indicatorId: c.indicatorId,
          from: period.actuals[c.indicatorId] ?? null,
          to: show(dec(c.actual)),
        })),
        pii: {
          comment: command.data.comment,
          correctionReasons: command.data.corrections.map((c) => ({
            indicatorId: c.indicatorId,
            reason: c.reason,
          })),
        },
      },
    },
    ...complete('period-assessment', period.periodId),
  ];
}

export function scorePeriodCommand(
  command: AppraisalCommandOf<'ScorePeriod'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, open } = decision;
  requireRelation(
    ctx,
    { roles: ['manager'], relations: ['manager'] },
    ['system', 'hr', 'admin'],
    'Scoring a period',
  );
  requireStatus(current, ['in-progress'], 'Scoring a period');
  // The period-scoring process manager sends this as `system` after every assessment; a workflow
  // that keeps scoring a person's step gets nothing from it (stored definitions may lack the field).
  if (ctx.actor.role === 'system' && definition.periodScoring === 'manual') return [];
  const period = periodOf(current, command.data.periodId);
  if (period.status !== 'assessed')
    throw new IllegalStateError(
      'period-not-assessed',
      `the review of ${period.periodId} is ${period.status}, not assessed`,
    );
  return scorePeriodEvents(current, definition, period.periodId, [], ctx, open);
}

/**
 * A week of the month scored after the month was (the behaviour-rescoring process manager), or a
 * manager in the appraisee's chain or HR by hand: the month is scored again with its weeks as they
 * are now, keeping the vetoes HR waived; its breaches and improvements stand (ADR 0131). Also after
 * the annual score: the new month makes the year's result stale until the year is re-scored
 * (ADR 0140). For the system, nothing to do is no error (a month not yet scored reads its weeks
 * when it is scored); a person asking for a rescore that cannot happen is told why.
 */
export function rescoreBehaviour(
  command: AppraisalCommandOf<'RescoreBehaviour'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, open } = decision;
  requireRelation(ctx, MANAGER, ['system', ...HR], "Rescoring a month's behaviour score");
  const byHand = ctx.actor.role !== 'system';
  if (!definition.weeklyPlans) {
    if (!byHand) return [];
    throw new IllegalStateError(
      'weekly-plans-not-in-workflow',
      'periodId: the workflow has no weekly plans, so no month has a behaviour score to rescore',
      { path: 'periodId', rule: 'workflow-has-weekly-plans' },
    );
  }
  if (!byHand && current.status !== 'in-progress' && current.status !== 'scored') return [];
  requireStatus(current, ['in-progress', 'scored'], "Rescoring a month's behaviour score");
  const period = periodOf(current, command.data.periodId);
  if (period.status !== 'scored') {
    if (!byHand) return [];
    throw new IllegalStateError(
      'period-not-scored',
      `periodId: ${period.periodId} is ${period.status}, not scored; its scoring will read the weeks`,
      { path: 'periodId', rule: 'period-scored', periodId: period.periodId },
    );
  }
  const waived = Object.entries(current.vetoes)
    .filter(([key, status]) => key.startsWith(`${period.periodId}/`) && status === 'waived')
    .map(([key]) => key.slice(period.periodId.length + 1));
  return scorePeriodEvents(current, definition, period.periodId, waived, ctx, open, true);
}

export function scorePeriodEvents(
  state: OpenedAppraisal,
  definition: WorkflowDefinition,
  periodId: string,
  waived: string[],
  ctx: AppraisalContext,
  open: (kind: StepKind, instance: string | null) => Step,
  rescore = false,
): AppraisalEvent[] {
  const period = state.periods[periodId];
  const targets = targetMap(state.plan.targets, periodId);
  const result = scorePeriod(definition, period.actuals, targets, waived, ctx.behaviourWeeks ?? []);
  const at = ctx.now;
  const events: AppraisalEvent[] = [
    {
      type: 'PeriodScored',
      data: {
        appraisalId: state.id,
        at,
        periodId,
        ruleVersion: { workflowId: state.workflowId, version: state.workflowVersion },
        aggregation: result.aggregation,
        indicators: result.indicators,
        raw: result.raw,
        score: result.score,
        grade: result.grade,
        bonusCoefficient: result.bonusCoefficient,
        vetoed: result.vetoed,
        ...(result.behaviour ? { behaviour: result.behaviour } : {}),
      },
    },
  ];
  // A re-score after a waiver only restates the period's result; breaches and improvements stand.
  if (rescore) return events;
  for (const veto of result.vetoes.filter(
    (candidate) => candidate.breached && !waived.includes(candidate.indicatorId),
  )) {
    const { breached: _breached, ...numbers } = veto;
    events.push({ type: 'VetoBreached', data: { appraisalId: state.id, at, periodId, ...numbers } });
  }
  for (const row of result.indicators) {
    if (row.actual === null || !isBelowTarget(definition, row.indicatorId, row.actual, targets)) continue;
    const improvementId = ctx.newId();
    const step = open('improvement', improvementId);
    events.push(
      {
        type: 'ImprovementRequired',
        data: {
          appraisalId: state.id,
          at,
          improvementId,
          periodId,
          indicatorId: row.indicatorId,
          score: row.score,
          dueAt: step.data.dueAt,
        },
      },
      step,
    );
  }
  return events;
}

export function isBelowTarget(
  definition: WorkflowDefinition,
  indicatorId: string,
  actual: string,
  targets: TargetLevels,
): boolean {
  const indicator = definition.scorecard.indicators.find((candidate) => candidate.id === indicatorId)!;
  const value = dec(actual);
  if (indicator.kind === 'action') return value.isZero();
  const levels = levelsOf(indicator, targets);
  if (indicator.direction === 'higher') return value.lessThan(levels.target);
  if (indicator.direction === 'lower') return value.greaterThan(levels.target);
  return value.lessThan(levels.threshold) || value.greaterThan(levels.stretch);
}

/** HR excuses a period not yet assessed (leave, a late join): its open steps close, the year skips it. */
export function waivePeriod(
  command: AppraisalCommandOf<'WaivePeriod'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, ctx, id, at, complete } = decision;
  requireRole(ctx, HR, 'Waiving a period');
  requireStatus(current, ['in-progress'], 'Waiving a period');
  const period = periodOf(current, command.data.periodId);
  if (period.status === 'assessed' || period.status === 'scored' || period.status === 'waived')
    throw new IllegalStateError(
      'period-not-waivable',
      `periodId: the review of ${period.periodId} is ${period.status}; only a period not yet assessed can be waived`,
      { path: 'periodId', rule: 'period-not-assessed', periodId: period.periodId, status: period.status },
    );
  return [
    {
      type: 'PeriodWaived',
      data: { appraisalId: id, at, periodId: period.periodId, pii: { reason: command.data.reason } },
    },
    ...complete('period-review', period.periodId),
    ...complete('period-assessment', period.periodId),
  ];
}
