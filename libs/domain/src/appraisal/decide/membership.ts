import { IllegalStateError } from '../../shared/errors';
import { requireRole } from '../../shared/authorize';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import type { Appraisal, OpenedAppraisal } from '../appraisal.state';
import { decideOpenAppraisal } from './open-appraisal';
import { requireStatus, type AppraisalContext, type Decision } from './context';

/**
 * A joiner's appraisal (ADR 0146): opened as the cycle opens the others, and the periods that ended
 * before the hire date waived with the rule as the reason, so the year is complete without them.
 * The period the person joined in stays: they file it as anyone does.
 */
export function openJoinerAppraisal(
  command: AppraisalCommandOf<'OpenJoinerAppraisal'>,
  state: Appraisal,
  ctx: AppraisalContext,
): AppraisalEvent[] {
  requireRole(ctx, ['system'], 'Opening a joiner’s appraisal');
  const { joinedOn, ...opening } = command.data;
  const opened = decideOpenAppraisal({ type: 'OpenAppraisal', data: opening }, state, ctx);
  const joined = new Date(`${joinedOn}T00:00:00.000Z`).getTime();
  const waived: AppraisalEvent[] = opening.periods
    .filter((period) => new Date(period.endsAt).getTime() <= joined)
    .map((period) => ({
      type: 'PeriodWaived',
      data: {
        appraisalId: opening.appraisalId,
        at: ctx.now,
        periodId: period.periodId,
        pii: {
          reason: `joined on ${joinedOn}: the workflow's membership rule (joiners) waives the periods before`,
        },
      },
    }));
  return [...opened, ...waived];
}

/** A membership rule (ADR 0146) is applied by the system, to an appraisal not finalized yet. */
function requireMembershipChange({ current, ctx }: Decision, doing: string): void {
  requireRole(ctx, ['system'], doing);
  requireStatus(current, ['planning', 'in-progress', 'scored'], doing);
}

/** The person left (ADR 0146): the appraisal is withdrawn and every open step with it (their timers go too). */
export function withdrawAppraisal(
  command: AppraisalCommandOf<'WithdrawAppraisal'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, id, at } = decision;
  requireMembershipChange(decision, 'Withdrawing an appraisal');
  return [
    {
      type: 'AppraisalWithdrawn',
      data: {
        appraisalId: id,
        at,
        cause: command.data.cause,
        effectiveFrom: command.data.effectiveFrom,
        rule: 'membership.leavers',
      },
    },
    ...Object.values(current.steps)
      .filter((step) => step.open)
      .map((step): AppraisalEvent => ({
        type: 'StepWithdrawn',
        data: {
          appraisalId: id,
          at,
          stepKey: step.stepKey,
          occurrence: step.occurrence,
          cause: 'appraisal-withdrawn',
        },
      })),
  ];
}

/** The person moved and the rule counts them where they are at the cycle's end (ADR 0146). */
export function moveAppraisalUnit(
  command: AppraisalCommandOf<'MoveAppraisalUnit'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, id, at } = decision;
  requireMembershipChange(decision, 'Moving an appraisal to another unit');
  if (current.subject.kind !== 'employee' || current.subject.orgUnitId === command.data.orgUnitId) return [];
  return [
    {
      type: 'AppraisalUnitChanged',
      data: {
        appraisalId: id,
        at,
        fromOrgUnitId: current.subject.orgUnitId,
        orgUnitId: command.data.orgUnitId,
        effectiveFrom: command.data.effectiveFrom,
        rule: 'membership.movers',
      },
    },
  ];
}

/**
 * A withdrawn appraisal refuses every command, naming the rule that withdrew it, so a caller knows
 * it is not a passing state (a timer's late firing is let through: its step is closed already).
 */
export function refuseIfWithdrawn(current: OpenedAppraisal): void {
  if (current.status !== 'withdrawn') return;
  const effectiveFrom = current.withdrawal?.effectiveFrom;
  throw new IllegalStateError(
    'appraisal-withdrawn',
    `appraisal "${current.id}" was withdrawn: the person left on ${effectiveFrom} and the workflow's membership rule (membership.leavers: withdraw) withdraws a leaver's appraisal`,
    { rule: 'membership.leavers', cause: current.withdrawal?.cause, effectiveFrom },
  );
}
