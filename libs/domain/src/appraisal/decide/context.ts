import {
  ConflictError,
  IllegalStateError,
  NotFoundError,
  ValidationError,
  type Issue,
} from '../../shared/errors';
import type { DomainContext, Role } from '../../shared/context';
import { dec, show } from '../../scoring/decimal';
import type { ScoredWeek, TargetLevels } from '../../scoring/period-score';
import type { PinnedWorkflow } from '../../workflow/workflow.decide';
import type { Cycle } from '../../cycle/cycle.decide';
import type { Directory } from '../../directory/directory.state';
import type { StepKind, WorkflowDefinition } from '../../workflow/workflow-definition.schema';
import type { AppraisalEvent, AppraisalEventOf } from '../appraisal.events';
import type { Appraisal, OpenedAppraisal } from '../appraisal.state';
import { completeStep, openStep, stepKeyOf } from '../appraisal.steps';

/** What every appraisal decision shares: its context, the parties who act, and small rules. */
/**
 * What an appraisal decision needs beside the state: the pinned workflow version the handler loaded
 * (`workflow.version` must equal the appraisal's pinned version), and for `MigrateWorkflowVersion`
 * the version to migrate to.
 */
export interface AppraisalContext extends DomainContext {
  workflow: PinnedWorkflow;
  migrationTarget?: PinnedWorkflow;
  /**
   * For `FinalizeAppraisal` under a blocking forced distribution: the annual grades of the other
   * appraisals of the same cycle and org unit that hold a result (this one's grade is added here).
   */
  unitGrades?: { orgUnitId: string; grades: readonly string[] };
  /**
   * For `OpenAppraisal` by a person (HR's override; the cycle's process manager opens from the cycle
   * itself): the cycle named and the tenant's directory, which the command must agree with.
   */
  opening?: { cycle: Cycle; directory: Directory };
  /**
   * For scoring a month under a workflow with weekly plans: the person's scored weeks of that month
   * in this cycle, as the handler read them from the weekly-plan streams (ADR 0131).
   */
  behaviourWeeks?: readonly ScoredWeek[];
  /**
   * For `ApprovePlan` under a workflow that times weekly plans: the weeks of the cycle the person has
   * planned already, whose `weekly-plan` steps are not opened (ADR 0145).
   */
  plannedWeeks?: readonly string[];
  /**
   * For `TrackWeeklyPlan` under a workflow that times daily plans: the days of that week the person
   * has filed (summarized) already, whose `daily-plan` steps are not opened (ADR 0160).
   */
  filedDays?: readonly string[];
}

export const SELF = { roles: ['employee', 'manager'] as Role[], relations: ['self' as const] };
export const MANAGER = {
  roles: ['manager'] as Role[],
  relations: ['manager' as const, 'skip-level' as const],
};
/** The appraisee or a manager of their line (own or skip-level). */
export const APPRAISEE_OR_LINE = {
  roles: ['employee', 'manager'] as Role[],
  relations: ['self' as const, 'manager' as const, 'skip-level' as const],
};
export const HR: Role[] = ['hr', 'admin'];
export const NOBODY_ELSE: Role[] = [];

export type Step = AppraisalEventOf<'StepOpened'>;

export function invalid(code: string, issues: Issue[]): never {
  throw new ValidationError(
    code,
    issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
    issues,
  );
}

export function opened(state: Appraisal, appraisalId: string): OpenedAppraisal {
  if (state.status === 'empty')
    throw new NotFoundError('appraisal-not-found', `appraisal "${appraisalId}" has not been opened`);
  return state;
}

export function requireStatus(
  state: OpenedAppraisal,
  allowed: OpenedAppraisal['status'][],
  action: string,
): void {
  if (!allowed.includes(state.status))
    throw new IllegalStateError(
      `appraisal-${state.status}`,
      `${action} is not possible while the appraisal is ${state.status}`,
      {
        status: state.status,
        allowed,
      },
    );
}

export function periodOf(state: OpenedAppraisal, periodId: string) {
  const period = state.periods[periodId];
  if (!period)
    throw new NotFoundError('period-not-found', `the cycle has no period "${periodId}"`, { periodId });
  return period;
}

export function ratingOf(definition: WorkflowDefinition, rating: string | number): string {
  const value = dec(rating);
  if (value.lessThan(dec(definition.ratingScale.min)) || value.greaterThan(dec(definition.ratingScale.max)))
    invalid('rating-out-of-scale', [
      {
        path: 'rating',
        rule: 'rating-scale',
        message: `a rating must lie between ${definition.ratingScale.min} and ${definition.ratingScale.max}`,
      },
    ]);
  return show(value);
}

/** The levels in force for a period: the annual row of each indicator, overridden by that period's row. */
export function targetMap(targets: OpenedAppraisal['plan']['targets'], periodId: string): TargetLevels {
  const annual = targets.filter((target) => target.periodId === undefined);
  const period = targets.filter((target) => target.periodId === periodId);
  return Object.fromEntries([...annual, ...period].map((target) => [target.indicatorId, target]));
}

export function activeRedLines(state: OpenedAppraisal) {
  return Object.entries(state.redLines)
    .filter(([, line]) => line.status !== 'withdrawn')
    .map(([breachId, line]) => ({ breachId, effect: line.effect }));
}

/** The opened appraisal a command acts on, with the helpers that open and complete its steps. */
export interface Decision {
  current: OpenedAppraisal;
  definition: WorkflowDefinition;
  ctx: AppraisalContext;
  id: string;
  at: string;
  open: (kind: StepKind, instance: string | null, base?: OpenedAppraisal) => Step;
  complete: (kind: StepKind, instance?: string | null) => AppraisalEvent[];
}

export function decisionOf(state: Appraisal, appraisalId: string, ctx: AppraisalContext): Decision {
  const { workflow } = ctx;
  const definition = workflow.definition;
  const current = opened(state, appraisalId);
  if (workflow.workflowId !== current.workflowId || workflow.version !== current.workflowVersion)
    throw new ConflictError(
      'workflow-version-mismatch',
      `appraisal "${current.id}" is pinned to ${current.workflowId} v${current.workflowVersion}; the context carries v${workflow.version}`,
    );
  return {
    current,
    definition,
    ctx,
    id: current.id,
    at: ctx.now,
    open: (kind, instance, base = current) =>
      openStep(base, definition, current.workflowVersion, kind, instance, ctx),
    complete: (kind, instance = null) => completeStep(current, stepKeyOf(kind, instance), ctx),
  };
}
