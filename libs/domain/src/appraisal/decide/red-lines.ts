import { IllegalStateError, NotFoundError } from '../../shared/errors';
import { requireRelation, requireRole } from '../../shared/authorize';
import { dec, show } from '../../scoring/decimal';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import { vetoKey } from '../appraisal.state';
import { SELF, HR, NOBODY_ELSE, requireStatus, type Decision } from './context';
import { scorePeriodEvents } from './period-review';

export function waiveVeto(command: AppraisalCommandOf<'WaiveVeto'>, decision: Decision): AppraisalEvent[] {
  const { current, definition, ctx, id, at, open } = decision;
  requireRole(ctx, HR, 'Waiving a veto');
  requireStatus(current, ['planning', 'in-progress', 'scored'], 'Waiving a veto');
  const key = vetoKey(command.data.periodId, command.data.indicatorId);
  if (current.vetoes[key] !== 'breached')
    throw new IllegalStateError(
      'veto-not-breached',
      `no standing veto for ${command.data.indicatorId} in ${command.data.periodId}`,
    );
  const waived = Object.entries(current.vetoes)
    .filter(([k, status]) => k.startsWith(`${command.data.periodId}/`) && (status === 'waived' || k === key))
    .map(([k]) => k.slice(command.data.periodId.length + 1));
  const rescored = scorePeriodEvents(current, definition, command.data.periodId, waived, ctx, open, true);
  return [
    {
      type: 'VetoWaived',
      data: {
        appraisalId: id,
        at,
        periodId: command.data.periodId,
        indicatorId: command.data.indicatorId,
        pii: { reason: command.data.reason },
      },
    },
    ...rescored,
  ];
}

export function fileRedLineBreach(
  command: AppraisalCommandOf<'FileRedLineBreach'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, id, at } = decision;
  requireRole(ctx, HR, 'Filing a red-line breach');
  requireStatus(current, ['planning', 'in-progress', 'scored'], 'Filing a red-line breach');
  const line = definition.redLines.find((candidate) => candidate.id === command.data.redLineId);
  if (!line)
    throw new NotFoundError(
      'red-line-not-found',
      `red line "${command.data.redLineId}" is not in the workflow's catalogue`,
    );
  const effect = {
    ...(line.effect.forceGrade !== undefined ? { forceGrade: line.effect.forceGrade } : {}),
    ...(line.effect.bonusCoefficient !== undefined
      ? { bonusCoefficient: show(dec(line.effect.bonusCoefficient)) }
      : {}),
    ...(line.effect.capScore !== undefined ? { capScore: show(dec(line.effect.capScore)) } : {}),
  };
  return [
    {
      type: 'RedLineBreached',
      data: {
        appraisalId: id,
        at,
        breachId: ctx.newId(),
        redLineId: line.id,
        effect,
        pii: { description: command.data.description, evidence: command.data.evidence },
      },
    },
  ];
}

export function decideRedLine(
  command:
    | AppraisalCommandOf<'ContestRedLine'>
    | AppraisalCommandOf<'UpholdRedLine'>
    | AppraisalCommandOf<'WithdrawRedLine'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, ctx, id, at } = decision;
  if (command.type === 'ContestRedLine')
    requireRelation(ctx, SELF, NOBODY_ELSE, 'Contesting a red-line breach');
  else
    requireRole(
      ctx,
      HR,
      command.type === 'UpholdRedLine' ? 'Upholding a red-line breach' : 'Withdrawing a red-line breach',
    );
  requireStatus(current, ['planning', 'in-progress', 'scored'], command.type);
  const breach = current.redLines[command.data.breachId];
  if (!breach)
    throw new NotFoundError('red-line-breach-not-found', `no red-line breach "${command.data.breachId}"`);
  const breachId = command.data.breachId;
  if (command.type === 'ContestRedLine') {
    if (breach.status !== 'breached')
      throw new IllegalStateError('red-line-not-contestable', `breach "${breachId}" is ${breach.status}`);
    return [
      {
        type: 'RedLineContested',
        data: { appraisalId: id, at, breachId, pii: { reason: command.data.reason } },
      },
    ];
  }
  if (breach.status !== 'breached' && breach.status !== 'contested')
    throw new IllegalStateError('red-line-decided', `breach "${breachId}" is already ${breach.status}`);
  return command.type === 'UpholdRedLine'
    ? [
        {
          type: 'RedLineUpheld',
          data: { appraisalId: id, at, breachId, pii: { reason: command.data.reason } },
        },
      ]
    : [
        {
          type: 'RedLineWithdrawn',
          data: { appraisalId: id, at, breachId, pii: { reason: command.data.reason } },
        },
      ];
}
