import { requireRelation, requireRole } from '../../shared/authorize';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import { SELF, HR, NOBODY_ELSE, requireStatus, type Decision } from './context';
import { newResult } from './annual-score';

export function acknowledgeAppraisal(
  command: AppraisalCommandOf<'AcknowledgeAppraisal'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, ctx, id, at, complete } = decision;
  requireRelation(ctx, SELF, NOBODY_ELSE, 'Acknowledging');
  requireStatus(current, ['finalized'], 'Acknowledging');
  return [
    {
      type: 'AppraisalAcknowledged',
      data: { appraisalId: id, at, pii: { comment: command.data.comment } },
    },
    ...complete('acknowledgement'),
    { type: 'AppraisalClosed', data: { appraisalId: id, at, ...current.result! } },
  ];
}

export function fileAppeal(command: AppraisalCommandOf<'FileAppeal'>, decision: Decision): AppraisalEvent[] {
  const { current, ctx, id, at, open, complete } = decision;
  requireRelation(ctx, SELF, NOBODY_ELSE, 'Appealing');
  requireStatus(current, ['finalized'], 'Appealing');
  const appealId = ctx.newId();
  return [
    {
      type: 'AppealFiled',
      data: { appraisalId: id, at, appealId, pii: { reason: command.data.reason } },
    },
    ...complete('acknowledgement'),
    open('appeal-resolution', null),
  ];
}

export function resolveAppeal(
  command: AppraisalCommandOf<'ResolveAppeal'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, id, at, complete } = decision;
  requireRole(ctx, HR, 'Resolving an appeal');
  requireStatus(current, ['appealed'], 'Resolving an appeal');
  const to =
    command.data.outcome === 'upheld' ? newResult(definition, current, command.data, 'appeal') : null;
  return [
    {
      type: 'AppealResolved',
      data: {
        appraisalId: id,
        at,
        appealId: current.appealId!,
        outcome: command.data.outcome,
        to,
        pii: { reason: command.data.reason },
      },
    },
    ...complete('appeal-resolution'),
    { type: 'AppraisalClosed', data: { appraisalId: id, at, ...(to ?? current.result!) } },
  ];
}
