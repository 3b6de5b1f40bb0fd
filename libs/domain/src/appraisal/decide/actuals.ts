import { ConflictError, IllegalStateError, NotFoundError } from '../../shared/errors';
import { requireRelation, requireRole } from '../../shared/authorize';
import { dec, show } from '../../scoring/decimal';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import type { OpenedAppraisal } from '../appraisal.state';
import {
  APPRAISEE_OR_LINE,
  MANAGER,
  NOBODY_ELSE,
  invalid,
  requireStatus,
  periodOf,
  type Decision,
} from './context';

export function importActual(
  command: AppraisalCommandOf<'ImportActual'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, id, at } = decision;
  // The system feeds a unit's result to its head (ADR 0125).
  requireRole(ctx, ['integrator', 'hr', 'admin', 'system'], 'Importing an actual');
  // Figures arrive from other systems whether or not the plan is approved yet.
  requireStatus(current, ['planning', 'in-progress'], 'Importing an actual');
  const period = importablePeriod(current, command.data.periodId);
  const { indicatorId, source } = command.data;
  if (!definition.scorecard.indicators.some((indicator) => indicator.id === indicatorId))
    invalid('invalid-actual', [
      {
        path: 'indicatorId',
        rule: 'indicator-unknown',
        message: `"${indicatorId}" is not an indicator of the scorecard`,
      },
    ]);
  const actual = show(dec(command.data.actual));
  const known = period.imported?.[indicatorId];
  // The same figure from the same source again (a retried file): nothing new to record.
  if (
    known &&
    known.actual === actual &&
    known.system === source.system &&
    known.reference === source.reference
  )
    return [];
  if (known?.dispute === 'open')
    throw new ConflictError(
      'actual-disputed',
      `the actual of "${indicatorId}" for ${period.periodId} is disputed`,
    );
  return [
    {
      type: 'ActualImported',
      data: { appraisalId: id, at, periodId: period.periodId, indicatorId, actual, source },
    },
  ];
}

export function disputeImportedActual(
  command: AppraisalCommandOf<'DisputeImportedActual'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, ctx, id, at } = decision;
  requireRelation(ctx, APPRAISEE_OR_LINE, NOBODY_ELSE, 'Disputing an imported actual');
  requireStatus(current, ['planning', 'in-progress'], 'Disputing an imported actual');
  const period = importablePeriod(current, command.data.periodId);
  const row = importedRow(period, command.data.indicatorId);
  if (row.dispute === 'open')
    throw new ConflictError(
      'actual-disputed',
      `the actual of "${command.data.indicatorId}" is disputed already`,
    );
  return [
    {
      type: 'ImportedActualDisputed',
      data: {
        appraisalId: id,
        at,
        periodId: period.periodId,
        indicatorId: command.data.indicatorId,
        actual: row.actual,
        disputedBy: ctx.actor.id,
        pii: { reason: command.data.reason },
      },
    },
  ];
}

export function resolveActualDispute(
  command: AppraisalCommandOf<'ResolveActualDispute'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, ctx, id, at } = decision;
  requireRelation(ctx, MANAGER, ['hr'], 'Resolving a dispute of an actual');
  requireStatus(current, ['planning', 'in-progress'], 'Resolving a dispute of an actual');
  const period = importablePeriod(current, command.data.periodId);
  const row = importedRow(period, command.data.indicatorId);
  if (row.dispute !== 'open')
    throw new IllegalStateError(
      'actual-not-disputed',
      `the actual of "${command.data.indicatorId}" is not disputed`,
    );
  const { outcome } = command.data;
  if (outcome === 'corrected' && command.data.actual === undefined)
    invalid('invalid-resolution', [
      { path: 'actual', rule: 'required', message: 'a correction gives the figure' },
    ]);
  const actual = outcome === 'corrected' ? show(dec(command.data.actual!)) : row.actual;
  return [
    {
      type: 'ActualDisputeResolved',
      data: {
        appraisalId: id,
        at,
        periodId: period.periodId,
        indicatorId: command.data.indicatorId,
        outcome,
        actual,
        pii: { reason: command.data.reason },
      },
    },
  ];
}

/** A period whose actuals may still change: not yet assessed or scored. */
export function importablePeriod(state: OpenedAppraisal, periodId: string) {
  const period = periodOf(state, periodId);
  if (period.status === 'assessed' || period.status === 'scored')
    throw new IllegalStateError(
      'period-assessed',
      `the review of ${periodId} is ${period.status}; its actuals are final`,
    );
  return period;
}

export function importedRow(period: ReturnType<typeof periodOf>, indicatorId: string) {
  const row = period.imported?.[indicatorId];
  if (!row)
    throw new NotFoundError(
      'imported-actual-not-found',
      `no imported actual of "${indicatorId}" for ${period.periodId}`,
      {
        indicatorId,
      },
    );
  return row;
}
