import {
  NotFoundError,
  IllegalStateError,
  dec,
  scorePeriod,
  show,
  type AppraisalEventOf,
  type OpenedAppraisal,
  type PeriodScore,
  type TargetLevels,
  type WorkflowDefinition,
  appraisalDecider,
  fold,
} from '@verity/domain';
import type { RecordedEvent } from '@verity/event-store';

export interface WhatIf {
  periodId: string;
  /** The version the period was (or would now be) scored under. */
  recorded: {
    workflowVersion: number;
    score: string;
    grade: string;
    bonusCoefficient: string;
    vetoed: boolean;
  } | null;
  whatIf: PeriodScore & { workflowVersion: number };
  /** whatIf.score − recorded.score, exact; null when the period has no recorded score. */
  difference: string | null;
}

/** The levels in force for a period: each indicator's annual row, overridden by that period's row. */
function targetsFor(plan: OpenedAppraisal['plan'], periodId: string): TargetLevels {
  const annual = plan.targets.filter((target) => target.periodId === undefined);
  const period = plan.targets.filter((target) => target.periodId === periodId);
  return Object.fromEntries([...annual, ...period].map((target) => [target.indicatorId, target]));
}

/**
 * A period recomputed under another workflow version, writing nothing: the appraisal's stream
 * folded through the domain, then the domain's `scorePeriod` with the period's actuals, the plan's
 * targets and the vetoes HR waived, under `definition` instead of the pinned version.
 */
export function whatIfPeriod(
  stream: readonly RecordedEvent[],
  periodId: string,
  workflowVersion: number,
  definition: WorkflowDefinition,
): WhatIf {
  const state = fold(appraisalDecider, stream);
  if (state.status === 'empty') throw new NotFoundError('appraisal-not-found', 'the appraisal has no events');
  const period = state.periods[periodId];
  if (!period)
    throw new NotFoundError('period-not-found', `the cycle has no period "${periodId}"`, { periodId });
  if (period.status === 'waived')
    throw new IllegalStateError(
      'period-waived',
      `${periodId} was waived by HR: it is scored under no version`,
    );
  if (period.status === 'pending' || period.status === 'returned')
    throw new IllegalStateError(
      'period-not-filed',
      `the review of ${periodId} is ${period.status}: no actuals to score`,
    );
  const waived = Object.entries(state.vetoes)
    .filter(([key, veto]) => veto === 'waived' && key.startsWith(`${periodId}/`))
    .map(([key]) => key.slice(periodId.length + 1));
  const scoredUnder = [...stream]
    .reverse()
    .find((e) => e.type === 'PeriodScored' && (e.data as { periodId: string }).periodId === periodId);
  // The weeks the recorded score counted (ADR 0131): the other version weighs the same behaviour.
  const weeks =
    (scoredUnder?.data as AppraisalEventOf<'PeriodScored'>['data'] | undefined)?.behaviour?.weeks ?? [];
  const result = scorePeriod(definition, period.actuals, targetsFor(state.plan, periodId), waived, weeks);
  const recorded =
    period.result && scoredUnder
      ? {
          workflowVersion: (scoredUnder.data as { ruleVersion: { version: number } }).ruleVersion.version,
          ...period.result,
        }
      : null;
  return {
    periodId,
    recorded,
    whatIf: { ...result, workflowVersion },
    difference: recorded ? show(dec(result.score).minus(dec(recorded.score))) : null,
  };
}
