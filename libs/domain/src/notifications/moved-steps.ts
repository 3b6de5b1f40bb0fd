import type { Directory } from '../directory/directory.state';
import type { DirectoryEventType } from '../directory/directory.events';
import type { AppraisalEventOf } from '../appraisal/appraisal.events';
import type { StepKind } from '../workflow/workflow-definition.schema';
import { recipientsOf, taskLandsNow, type AppraisalFacts, type Recipient } from './recipients';

/**
 * An open step that waits on a position (the appraisee, their manager, the manager's manager, or
 * for a unit's appraisal the heads of units) rather than on a named person: the directory says who
 * holds it, when the inbox is read and when a reminder or an escalation is sent. So a change of the
 * reporting line moves it to someone else, who must be told as if it had just opened.
 */
export interface PositionStep {
  appraisalId: string;
  stepKey: string;
  kind: StepKind;
  occurrence: number;
  actor: 'self' | 'manager' | 'skip-level';
  dueAt: string | null;
  workflowVersion: number;
  /** The appraisal's subject and workflow, as its recipients need them. */
  facts: AppraisalFacts;
}

/** The open position steps of a tenant, by `openStepKey` (a step key is open once at a time). */
export type OpenPositionSteps = Map<string, PositionStep>;

export const openStepKey = (appraisalId: string, stepKey: string) => `${appraisalId}/${stepKey}`;

const POSITIONS: readonly string[] = ['self', 'manager', 'skip-level'];

/**
 * The directory changes that can move a position to someone else: a new manager (of the appraisee,
 * or of their manager for the skip-level), and for a unit's appraisal anything that changes which
 * employee heads a unit (people hired, moved or gone, units moved under another parent).
 */
export const REPORTING_LINE_EVENTS = [
  'ManagerAssigned',
  'EmployeeHired',
  'EmployeeTransferred',
  'EmployeeLeft',
  'OrgUnitMoved',
] as const satisfies readonly DirectoryEventType[];

export type StepLifecycleEvent = AppraisalEventOf<'StepOpened' | 'StepCompleted' | 'StepWithdrawn'>;

/**
 * Keeps `open` up to date with a step event: a step opened on a position is added (a named person
 * never moves, a peer step is nobody's task until nominated), a step done or withdrawn leaves.
 */
export function trackPositionStep(
  open: OpenPositionSteps,
  event: StepLifecycleEvent,
  facts: () => AppraisalFacts,
): void {
  const key = openStepKey(event.data.appraisalId, event.data.stepKey);
  if (event.type !== 'StepOpened') {
    if (open.get(key)?.occurrence === event.data.occurrence) open.delete(key);
    return;
  }
  const { appraisalId, stepKey, kind, occurrence, assignee, dueAt, workflowVersion } = event.data;
  // A reopened step that now names its person replaces the position step it was.
  open.delete(key);
  if (assignee.employeeId !== null || !POSITIONS.includes(assignee.actor)) return;
  const actor = assignee.actor as PositionStep['actor'];
  open.set(key, { appraisalId, stepKey, kind, occurrence, actor, dueAt, workflowVersion, facts: facts() });
}

/**
 * The day a directory change is judged on: the day it takes effect, or the day it was recorded when
 * back-dated (a change back-dated behind a later one moves nothing today). A change dated ahead is
 * judged on its day, so the one it makes responsible is told when it is recorded, ahead of time.
 */
export function changeDay(effectiveFrom: string, recordedAt: string): string {
  const recorded = recordedAt.slice(0, 10);
  return effectiveFrom > recorded ? effectiveFrom : recorded;
}

/** An open step whose position a directory change gave to someone else, and who must now be told. */
export interface MovedStep {
  step: PositionStep;
  /** Whom the step lands on after the change and did not before (never the ones it left). */
  newcomers: Recipient[];
}

const sameRecipient = (a: Recipient, b: Recipient) => a.employeeId === b.employeeId && a.role === b.role;

/**
 * The open steps a directory change moves, judged on `day`: each step is resolved as it opened,
 * in the directory `before` the change and `after` it; whoever it lands on only after is told, as a
 * task assigned. Nobody is told twice of a step that stays theirs; those it leaves are not told
 * (their inbox, reminders and escalations stop naming them at once, being resolved when read).
 * A step due more than a month after the day is told by its reminders, as at opening.
 */
export function stepsMovedBy(
  open: Iterable<PositionStep>,
  before: Directory,
  after: Directory,
  day: string,
): MovedStep[] {
  const at = `${day.slice(0, 10)}T00:00:00.000Z`;
  const moved: MovedStep[] = [];
  // A person has several steps on the same position: whom it moves to is asked once per position.
  const asked = new Map<string, Recipient[]>();
  for (const step of open) {
    const notice = openedNotice(step, at);
    if (!taskLandsNow(notice)) continue;
    const { subjectEmployeeId, subjectOrgUnitId, workflowId } = step.facts;
    const position = JSON.stringify([step.actor, subjectEmployeeId, subjectOrgUnitId ?? null, workflowId]);
    let newcomers = asked.get(position);
    if (!newcomers) {
      const was = recipientsOf(notice, before, () => step.facts);
      newcomers = recipientsOf(notice, after, () => step.facts).filter(
        (recipient) => !was.some((earlier) => sameRecipient(earlier, recipient)),
      );
      asked.set(position, newcomers);
    }
    if (newcomers.length > 0) moved.push({ step, newcomers });
  }
  return moved;
}

/** The step as if it opened at `at`: whom it lands on is asked exactly as at its opening. */
function openedNotice(step: PositionStep, at: string): AppraisalEventOf<'StepOpened'> {
  return {
    type: 'StepOpened',
    data: {
      appraisalId: step.appraisalId,
      at,
      stepKey: step.stepKey,
      kind: step.kind,
      instance: null,
      occurrence: step.occurrence,
      assignee: { actor: step.actor, employeeId: null },
      dueAt: step.dueAt,
      workflowVersion: step.workflowVersion,
    },
  };
}
