import type { AppraisalEvent, AppraisalEventOf } from '@verity/domain';
import type { RecordedEvent } from '@verity/event-store';
import { wellFormed } from '../events/well-formed';

/** The appraisal events the inbox reads. */
export const INBOX_EVENTS = [
  'AppraisalOpened',
  'StepOpened',
  'StepCompleted',
  'StepWithdrawn',
  'StepEscalated',
  'DeadlineMissed',
  'ReminderSent',
  'RaterNominated',
  'NominationApproved',
  'NominationRejected',
] as const satisfies readonly AppraisalEvent['type'][];

/** The nomination events: who may rate in a group beyond the appraisee's directory peers. */
const NOMINATION_EVENTS: readonly string[] = ['RaterNominated', 'NominationApproved', 'NominationRejected'];

/** A nomination as the inbox keeps it; a decision in a later batch carries only its status. */
export interface NominationRow {
  tenantId: string;
  appraisalId: string;
  nominationId: string;
  employeeId: string | null;
  raterGroup: string | null;
  status: 'proposed' | 'approved' | 'rejected';
}

type Data<T extends AppraisalEvent['type']> = AppraisalEventOf<T>['data'];

export interface InboxAppraisalRow {
  tenantId: string;
  appraisalId: string;
  revision: string;
  cycleId: string;
  employeeId: string | null;
  orgUnitId: string;
  workflowId: string;
}

/** What later events change on a step: each part merges the same way in memory and in SQL. */
export interface StepProgress {
  completedAt: string | null;
  completedBy: string | null;
  late: boolean | null;
  deadlineMissed: boolean;
  escalationLevel: number;
  escalatedTo: string | null;
  reminders: number;
}

export interface StepKey {
  tenantId: string;
  appraisalId: string;
  stepKey: string;
  occurrence: number;
}

export interface StepRow extends StepKey, StepProgress {
  kind: string;
  instance: string | null;
  workflowId: string;
  workflowVersion: number;
  cycleId: string;
  subjectEmployeeId: string | null;
  orgUnitId: string;
  actor: string;
  assigneeEmployeeId: string | null;
  openedAt: string;
  dueAt: string | null;
}

export type StepPatch = StepKey & StepProgress;

export interface InboxChanges {
  appraisals: Map<string, InboxAppraisalRow>;
  /** Steps opened in this batch, with what happened to them later in the batch. */
  opened: Map<string, StepRow>;
  /** Progress on steps opened in an earlier batch. */
  patches: Map<string, StepPatch>;
  /** Nominations made in this batch (full rows) and decisions on earlier ones (status only). */
  nominations: Map<string, NominationRow>;
}

const NO_PROGRESS: StepProgress = {
  completedAt: null,
  completedBy: null,
  late: null,
  deadlineMissed: false,
  escalationLevel: 0,
  escalatedTo: null,
  reminders: 0,
};

/** Merges progress: a completion is set once, escalation keeps the highest level, reminders add up. */
export function mergeProgress<T extends StepProgress>(step: T, more: StepProgress): T {
  const higher = more.escalationLevel > step.escalationLevel;
  return {
    ...step,
    completedAt: more.completedAt ?? step.completedAt,
    completedBy: more.completedBy ?? step.completedBy,
    late: more.late ?? step.late,
    deadlineMissed: step.deadlineMissed || more.deadlineMissed,
    escalationLevel: higher ? more.escalationLevel : step.escalationLevel,
    escalatedTo: higher ? more.escalatedTo : step.escalatedTo,
    reminders: step.reminders + more.reminders,
  };
}

function progressOf(event: RecordedEvent): StepProgress {
  switch (event.type) {
    case 'StepCompleted': {
      const data = event.data as Data<'StepCompleted'>;
      return { ...NO_PROGRESS, completedAt: data.at, completedBy: data.by, late: data.late };
    }
    case 'StepWithdrawn': {
      // Closed without being done (ADR 0144): it leaves the inbox, and the SLA view counts it neither
      // on time nor late (`late` stays unknown).
      const data = event.data as Data<'StepWithdrawn'>;
      return { ...NO_PROGRESS, completedAt: data.at, completedBy: 'system' };
    }
    case 'StepEscalated': {
      const data = event.data as Data<'StepEscalated'>;
      return { ...NO_PROGRESS, escalationLevel: data.level, escalatedTo: data.to };
    }
    case 'DeadlineMissed':
      return { ...NO_PROGRESS, deadlineMissed: true };
    default:
      return { ...NO_PROGRESS, reminders: 1 };
  }
}

export const stepKeyOf = (appraisalId: string, stepKey: string, occurrence: number) =>
  `${appraisalId}\u0000${stepKey}\u0000${occurrence}`;

/**
 * Pure: folds one tenant's batch (log order) onto the appraisals it has. The stream revision is the
 * idempotency guard: an event at or below the appraisal's revision was applied already.
 */
export function projectInboxEvents(
  current: ReadonlyMap<string, InboxAppraisalRow>,
  events: readonly RecordedEvent[],
): InboxChanges {
  const changes: InboxChanges = {
    appraisals: new Map(),
    opened: new Map(),
    patches: new Map(),
    nominations: new Map(),
  };
  for (const event of events) {
    if (!(INBOX_EVENTS as readonly string[]).includes(event.type) || !wellFormed(event)) continue;
    const appraisalId = (event.data as { appraisalId: string }).appraisalId;
    const revision = event.streamRevision.toString();
    if (event.type === 'AppraisalOpened') {
      if (current.has(appraisalId) || changes.appraisals.has(appraisalId)) continue;
      const data = event.data as Data<'AppraisalOpened'>;
      changes.appraisals.set(appraisalId, {
        tenantId: event.metadata.tenantId,
        appraisalId,
        revision,
        cycleId: data.cycleId,
        employeeId: data.subject.kind === 'employee' ? data.subject.employeeId : null,
        orgUnitId: data.subject.orgUnitId,
        workflowId: data.workflowId,
      });
      continue;
    }
    const appraisal = changes.appraisals.get(appraisalId) ?? current.get(appraisalId);
    // Redelivered, or of an appraisal the log never opened (the write side forbids that).
    if (!appraisal || event.streamRevision <= BigInt(appraisal.revision)) continue;
    changes.appraisals.set(appraisalId, { ...appraisal, revision });
    if (NOMINATION_EVENTS.includes(event.type)) {
      changes.nominations.set(...nominationChange(changes.nominations, appraisal, event));
      continue;
    }
    if (event.type === 'StepOpened') {
      const data = event.data as Data<'StepOpened'>;
      changes.opened.set(stepKeyOf(appraisalId, data.stepKey, data.occurrence), {
        tenantId: appraisal.tenantId,
        appraisalId,
        stepKey: data.stepKey,
        occurrence: data.occurrence,
        kind: data.kind,
        instance: data.instance,
        workflowId: appraisal.workflowId,
        workflowVersion: data.workflowVersion,
        cycleId: appraisal.cycleId,
        subjectEmployeeId: appraisal.employeeId,
        orgUnitId: appraisal.orgUnitId,
        actor: data.assignee.actor,
        assigneeEmployeeId: data.assignee.employeeId,
        openedAt: data.at,
        dueAt: data.dueAt,
        ...NO_PROGRESS,
      });
      continue;
    }
    const { stepKey, occurrence } = event.data as { stepKey: string; occurrence: number };
    const key = stepKeyOf(appraisalId, stepKey, occurrence);
    const progress = progressOf(event);
    const opened = changes.opened.get(key);
    if (opened) {
      changes.opened.set(key, mergeProgress(opened, progress));
      continue;
    }
    const patch = changes.patches.get(key) ?? {
      tenantId: appraisal.tenantId,
      appraisalId,
      stepKey,
      occurrence,
      ...NO_PROGRESS,
    };
    changes.patches.set(key, mergeProgress(patch, progress));
  }
  return changes;
}

/** A nomination made, or its status after a decision (merged onto one made earlier in the batch). */
function nominationChange(
  nominations: ReadonlyMap<string, NominationRow>,
  appraisal: InboxAppraisalRow,
  event: RecordedEvent,
): [string, NominationRow] {
  const { nominationId } = event.data as { nominationId: string };
  const key = `${appraisal.appraisalId}\u0000${nominationId}`;
  if (event.type === 'RaterNominated') {
    const data = event.data as Data<'RaterNominated'>;
    return [
      key,
      {
        tenantId: appraisal.tenantId,
        appraisalId: appraisal.appraisalId,
        nominationId,
        employeeId: data.employeeId,
        raterGroup: data.group,
        status: data.status,
      },
    ];
  }
  const status = event.type === 'NominationApproved' ? 'approved' : 'rejected';
  const earlier = nominations.get(key) ?? {
    tenantId: appraisal.tenantId,
    appraisalId: appraisal.appraisalId,
    nominationId,
    employeeId: null,
    raterGroup: null,
  };
  return [key, { ...earlier, status }];
}
