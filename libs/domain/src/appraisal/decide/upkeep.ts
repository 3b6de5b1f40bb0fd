import { ConflictError, IllegalStateError } from '../../shared/errors';
import type { DomainContext } from '../../shared/context';
import { requireRelation, requireRole } from '../../shared/authorize';
import type { WorkflowDefinition } from '../../workflow/workflow-definition.schema';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent } from '../appraisal.events';
import type { OpenedAppraisal } from '../appraisal.state';
import { stepDefinitionOf, timerEventId, timerKey, allTimersOf } from '../appraisal.steps';
import { APPRAISEE_OR_LINE, invalid, requireStatus, periodOf, type Decision } from './context';

export function addAnnotation(
  command: AppraisalCommandOf<'AddAnnotation'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, ctx, id, at } = decision;
  requireRelation(ctx, APPRAISEE_OR_LINE, ['hr', 'process-owner', 'admin'], 'Annotating');
  if (command.data.on.periodId !== undefined) periodOf(current, command.data.on.periodId);
  return [
    {
      type: 'AnnotationAdded',
      data: {
        appraisalId: id,
        at,
        annotationId: ctx.newId(),
        on: command.data.on,
        authorId: ctx.actor.id,
        pii: { text: command.data.text },
      },
    },
  ];
}

export function fireTimerCommand(
  command: AppraisalCommandOf<'FireTimer'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, definition, ctx } = decision;
  requireRole(ctx, ['system'], 'Firing a timer');
  return fireTimer(current, definition, command, ctx);
}

export function migrateWorkflowVersion(
  command: AppraisalCommandOf<'MigrateWorkflowVersion'>,
  decision: Decision,
): AppraisalEvent[] {
  const { current, ctx, id, at } = decision;
  requireRole(ctx, ['hr', 'process-owner', 'admin'], 'Migrating an appraisal');
  requireStatus(current, ['planning', 'in-progress', 'scored'], 'Migrating');
  const target = ctx.migrationTarget;
  if (!target || target.workflowId !== current.workflowId || target.version !== command.data.toVersion)
    throw new ConflictError(
      'migration-target-mismatch',
      `the context must carry ${current.workflowId} v${command.data.toVersion}`,
    );
  if (target.version <= current.workflowVersion)
    throw new IllegalStateError(
      'migration-not-forward',
      `v${target.version} is not newer than the pinned v${current.workflowVersion}`,
    );
  const known = new Set(target.definition.scorecard.indicators.map((indicator) => indicator.id));
  const orphaned = current.plan.targets
    .map((row) => row.indicatorId)
    .filter((indicatorId) => !known.has(indicatorId));
  if (orphaned.length > 0)
    throw new IllegalStateError(
      'migration-incompatible',
      `v${target.version} drops indicators the plan uses: ${orphaned.join(', ')}`,
      { indicators: orphaned },
    );
  return [
    {
      type: 'AppraisalMigrated',
      data: {
        appraisalId: id,
        at,
        workflowId: current.workflowId,
        fromVersion: current.workflowVersion,
        toVersion: target.version,
        pii: { reason: command.data.reason },
      },
    },
  ];
}

export function fireTimer(
  state: OpenedAppraisal,
  definition: WorkflowDefinition,
  command: AppraisalCommandOf<'FireTimer'>,
  ctx: DomainContext,
): AppraisalEvent[] {
  const { kind, stepKey, occurrence, level } = command.data;
  const step = state.steps[stepKey];
  // A timer for a step that is done, re-opened since, or already fired is a no-op, not an error.
  if (!step || !step.open || step.occurrence !== occurrence || step.dueAt === null) return [];
  const key = timerKey({ kind, appraisalId: state.id, stepKey, occurrence, level });
  if (state.firedTimers.includes(key)) return [];
  const timer = allTimersOf(state.id, step, definition).find((candidate) => candidate.timerKey === key);
  if (!timer)
    invalid('timer-unknown', [
      {
        path: 'level',
        rule: 'timer-unknown',
        message: `step "${step.kind}" has no ${kind} ${level} in workflow v${state.workflowVersion}`,
      },
    ]);
  const eventId = timerEventId(ctx.tenantId, key);
  const common = {
    appraisalId: state.id,
    at: ctx.now,
    timerKey: key,
    stepKey,
    occurrence,
    dueAt: step.dueAt,
  };
  if (kind === 'reminder')
    return [{ type: 'ReminderSent', eventId, data: { ...common, reminder: level, assignee: step.assignee } }];
  if (kind === 'deadline')
    return [{ type: 'DeadlineMissed', eventId, data: { ...common, assignee: step.assignee } }];
  const to = stepDefinitionOf(definition, step.kind)!.escalation![level - 1].to;
  return [{ type: 'StepEscalated', eventId, data: { ...common, level, to, assignee: step.assignee } }];
}
