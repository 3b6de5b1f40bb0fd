import { ConflictError, ForbiddenError, IllegalStateError, NotFoundError } from '../../shared/errors';
import { requireRelation } from '../../shared/authorize';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent, AppraisalEventOf } from '../appraisal.events';
import { stepKeyOf } from '../appraisal.steps';
import type { OpenedAppraisal } from '../appraisal.state';
import { HR, MANAGER, SELF, invalid, requireStatus, type Decision } from './context';

/** Whether the employee holds an approved nomination to rate in the group. */
export function nominatedRater(
  state: OpenedAppraisal,
  employeeId: string | undefined,
  group: string,
): boolean {
  if (employeeId === undefined) return false;
  return Object.values(state.nominations ?? {}).some(
    (nomination) =>
      nomination.employeeId === employeeId && nomination.group === group && nomination.status === 'approved',
  );
}

/** The appraisee proposes a rater (the manager decides); HR's nomination is an assignment, approved at once. */
export function nominateRater(
  command: AppraisalCommandOf<'NominateRater'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx, id, at, open } = decision;
  requireRelation(ctx, SELF, HR, 'Nominating a rater');
  requireStatus(current, ['planning', 'in-progress'], 'Nominating a rater');
  const { group, employeeId } = command.data;
  if (!definition.raterGroups.some((candidate) => candidate.group === group))
    throw new ForbiddenError('rater-group-not-defined', `the workflow has no "${group}" rater group`);
  if (current.subject.kind === 'employee' && current.subject.employeeId === employeeId)
    invalid('invalid-nomination', [
      {
        path: 'employeeId',
        rule: 'not-the-appraisee',
        message: 'the appraisee does not rate themselves here',
      },
    ]);
  const standing = Object.values(current.nominations ?? {}).find(
    (nomination) =>
      nomination.employeeId === employeeId && nomination.group === group && nomination.status !== 'rejected',
  );
  if (standing)
    throw new ConflictError('already-nominated', `"${employeeId}" is already nominated as ${group}`);
  const nominationId = ctx.newId();
  const assigned = HR.includes(ctx.actor.role);
  return [
    {
      type: 'RaterNominated',
      data: {
        appraisalId: id,
        at,
        nominationId,
        group,
        employeeId,
        nominatedBy: ctx.actor.id,
        status: assigned ? 'approved' : 'proposed',
      },
    },
    // A proposal is the manager's to decide: a step in their inbox (and a TaskAssigned notice) until
    // they approve or reject it. HR's assignment needs nobody's decision.
    ...(assigned ? [] : [open('nomination-approval', nominationId)]),
  ];
}

/** The appraisee's manager (or HR) approves or rejects a proposed rater. */
export function decideNomination(
  command: AppraisalCommandOf<'ApproveNomination' | 'RejectNomination'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, ctx, id, at, complete } = decision;
  requireRelation(ctx, MANAGER, HR, 'Deciding a nomination');
  requireStatus(current, ['planning', 'in-progress'], 'Deciding a nomination');
  const { nominationId } = command.data;
  const nomination = current.nominations?.[nominationId];
  if (!nomination) throw new NotFoundError('nomination-not-found', `no nomination "${nominationId}"`);
  if (nomination.status !== 'proposed')
    throw new IllegalStateError(
      'nomination-decided',
      `nomination "${nominationId}" is already ${nomination.status}`,
    );
  const decided: AppraisalEvent =
    command.type === 'ApproveNomination'
      ? { type: 'NominationApproved', data: { appraisalId: id, at, nominationId } }
      : {
          type: 'NominationRejected',
          data: { appraisalId: id, at, nominationId, pii: { reason: command.data.reason } },
        };
  // Proposals made before proposals opened a step have none to complete (`complete` returns nothing).
  return [decided, ...complete('nomination-approval', nominationId)];
}

/**
 * Once the appraisal is scored nobody may decide a nomination any more, so a proposal still
 * undecided then leaves the manager's inbox: its step is withdrawn, saying why (ADR 0144). The
 * proposal itself stays `proposed` in the state (it was never decided).
 */
export function withdrawUndecidedNominations(
  current: OpenedAppraisal,
  at: string,
): AppraisalEventOf<'StepWithdrawn'>[] {
  return Object.entries(current.nominations ?? {})
    .filter(([, nomination]) => nomination.status === 'proposed')
    .flatMap(([nominationId]) => {
      const step = current.steps[stepKeyOf('nomination-approval', nominationId)];
      if (!step || !step.open) return [];
      return [
        {
          type: 'StepWithdrawn' as const,
          data: {
            appraisalId: current.id,
            at,
            stepKey: step.stepKey,
            occurrence: step.occurrence,
            cause: 'appraisal-scored' as const,
          },
        },
      ];
    });
}
