import type { TimerKind, WorkflowDefinition } from '@verity/domain';
import { businessTimersOf } from '@verity/domain/calendar';
import type { RecordedEvent } from '@verity/event-store';

/**
 * The timers read model's pure part (as score.project.ts and inbox.project.ts are for theirs): what
 * an event changes in a tenant's timers, computed in memory; timers.projection.ts does the I/O (the
 * workflow a step follows, the set-based statements, the alarm clock).
 */

/** A timer the alarm clock must ring at `fireAt`: ids only, never personal data (it becomes a job). */
export interface DueTimer {
  tenantId: string;
  timerKey: string;
  appraisalId: string;
  stepKey: string;
  occurrence: number;
  kind: TimerKind;
  level: number;
  fireAt: string;
}

export interface TimerRow extends DueTimer {
  escalateTo: string | null;
  workflowId: string;
  workflowVersion: number;
  status: 'pending' | 'fired' | 'cancelled';
  openedPosition: string;
  settledPosition: string | null;
  firedAt: string | null;
}

/** What one tenant's slice of a batch changes, applied with a few set-based statements. */
export class TenantChanges {
  readonly appraisals = new Map<string, string>();
  readonly rows = new Map<string, TimerRow>();
  readonly fired = new Map<string, { at: string; position: string }>();
  /** Pending timers of (appraisal, step) below `occurrence` (or of exactly it, when `exact`) end. */
  readonly cancelled: {
    appraisalId: string;
    stepKey: string;
    occurrence: number;
    exact: boolean;
    position: string;
  }[] = [];

  get empty() {
    return this.appraisals.size + this.rows.size + this.fired.size + this.cancelled.length === 0;
  }

  cancelInBatch(appraisalId: string, stepKey: string, occurrence: number, exact: boolean, position: string) {
    for (const row of this.rows.values())
      if (
        row.status === 'pending' &&
        row.appraisalId === appraisalId &&
        row.stepKey === stepKey &&
        (exact ? row.occurrence === occurrence : row.occurrence < occurrence)
      ) {
        row.status = 'cancelled';
        row.settledPosition = position;
      }
    this.cancelled.push({ appraisalId, stepKey, occurrence, exact, position });
  }

  /** The pending timers of an open step, from its workflow version on its business calendar. */
  addStepTimers(
    step: Parameters<typeof businessTimersOf>[1] & { stepKey: string; occurrence: number },
    on: {
      tenantId: string;
      appraisalId: string;
      workflowId: string;
      workflowVersion: number;
      position: string;
    },
    definition: WorkflowDefinition,
    skip: (timerKey: string) => boolean = () => false,
  ): void {
    for (const timer of businessTimersOf(on.appraisalId, step, definition))
      if (!skip(timer.timerKey))
        this.rows.set(timer.timerKey, {
          tenantId: on.tenantId,
          timerKey: timer.timerKey,
          appraisalId: on.appraisalId,
          stepKey: step.stepKey,
          occurrence: step.occurrence,
          kind: timer.kind,
          level: timer.level,
          fireAt: timer.fireAt,
          escalateTo: timer.escalateTo ?? null,
          workflowId: on.workflowId,
          workflowVersion: on.workflowVersion,
          status: 'pending',
          openedPosition: on.position,
          settledPosition: null,
          firedAt: null,
        });
  }
}

/**
 * The events whose effect needs nothing but the event: an appraisal's workflow remembered, a
 * completed or withdrawn step's timers cancelled, a timer's outcome marking it fired. False for the others
 * (a step opened, an appraisal migrated), which need their workflow version.
 */
export function projectTimerEvent(changes: TenantChanges, event: RecordedEvent): boolean {
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'AppraisalOpened':
      changes.appraisals.set(String(data.appraisalId), String(data.workflowId));
      return true;
    case 'StepCompleted':
    case 'StepWithdrawn':
      changes.cancelInBatch(
        String(data.appraisalId),
        String(data.stepKey),
        Number(data.occurrence),
        true,
        event.position,
      );
      return true;
    case 'ReminderSent':
    case 'StepEscalated':
    case 'DeadlineMissed': {
      const timerKey = String(data.timerKey);
      const row = changes.rows.get(timerKey);
      if (row?.status === 'pending')
        Object.assign(row, { status: 'fired', firedAt: String(data.at), settledPosition: event.position });
      // One outcome per timer (deterministic event ids); should a second come, the first counts.
      if (!changes.fired.has(timerKey))
        changes.fired.set(timerKey, { at: String(data.at), position: event.position });
      return true;
    }
    default:
      return false;
  }
}

export function dueTimerOf(row: TimerRow): DueTimer {
  const { tenantId, timerKey, appraisalId, stepKey, occurrence, kind, level, fireAt } = row;
  return { tenantId, timerKey, appraisalId, stepKey, occurrence, kind, level, fireAt };
}
