import { IllegalStateError, NotFoundError } from '../../shared/errors';
import { requireRelation } from '../../shared/authorize';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import { SELF, MANAGER, NOBODY_ELSE, requireStatus, type Decision } from './context';

export function fileOrVerifyImprovement(
  command: AppraisalCommandOf<'FileImprovement'> | AppraisalCommandOf<'VerifyImprovement'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, ctx, id, at, open, complete } = decision;
  const improvement = current.improvements[command.data.improvementId];
  if (command.type === 'FileImprovement') requireRelation(ctx, SELF, NOBODY_ELSE, 'Filing an improvement');
  else requireRelation(ctx, MANAGER, NOBODY_ELSE, 'Verifying an improvement');
  requireStatus(current, ['in-progress', 'scored'], command.type);
  if (!improvement)
    throw new NotFoundError('improvement-not-found', `no improvement "${command.data.improvementId}"`);
  const improvementId = command.data.improvementId;
  if (command.type === 'FileImprovement') {
    if (improvement.status !== 'required')
      throw new IllegalStateError(
        'improvement-filed',
        `improvement "${improvementId}" is already ${improvement.status}`,
      );
    return [
      {
        type: 'ImprovementFiled',
        data: { appraisalId: id, at, improvementId, pii: { action: command.data.action } },
      },
      ...complete('improvement', improvementId),
      open('improvement-verification', improvementId),
    ];
  }
  if (improvement.status !== 'filed')
    throw new IllegalStateError(
      'improvement-not-filed',
      `improvement "${improvementId}" is ${improvement.status}, not filed`,
    );
  return [
    {
      type: 'ImprovementVerified',
      data: {
        appraisalId: id,
        at,
        improvementId,
        effective: command.data.effective,
        goodPractice: command.data.goodPractice,
        pii: { comment: command.data.comment },
      },
    },
    ...complete('improvement-verification', improvementId),
  ];
}
