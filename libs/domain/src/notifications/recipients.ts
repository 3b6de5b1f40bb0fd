import { hrPartnersFor, processOwnersFor, resolveRelative } from '../directory/directory.queries';
import type { Directory } from '../directory/directory.state';
import { unitHeadFor } from '../directory/unit-heads';
import type { AppraisalEventOf } from '../appraisal/appraisal.events';

/** One person (or, when nobody holds the position, a role inbox) told of a step. */
export interface Recipient {
  employeeId: string | null;
  role: string | null;
  /** Why they are told: assignee, escalation-manager, escalation-hr-vacant, … */
  reason: string;
}

/** A step landing on someone (StepOpened) or a timer outcome of a step. */
export type StepNotice = AppraisalEventOf<'StepOpened' | 'ReminderSent' | 'StepEscalated' | 'DeadlineMissed'>;

/** What the recipients depend on beside the event: the appraisal's subject and workflow. */
export interface AppraisalFacts {
  subjectEmployeeId: string | null;
  workflowId: string | null;
  /** Set when an org unit is appraised: its head and the heads above stand in for the person. */
  subjectOrgUnitId?: string | null;
}

/**
 * Who is told of a step, from the directory as it stood when it happened: the step's assignee for
 * a step that opens, a reminder or a missed deadline; the escalation level's target (manager, the
 * manager's manager, the HR partners or process owners of the appraisee's unit) for escalations.
 * HR's share (a vacant position, an escalation to HR) goes to the unit's HR partners, or to the HR
 * inbox when the unit has none; a process nobody owns goes to the process-owner inbox. So an
 * escalation never goes nowhere. `facts` is asked only when a position must be resolved.
 */
export function recipientsOf(
  event: StepNotice,
  directory: Directory,
  facts: () => AppraisalFacts,
): Recipient[] {
  const date = event.data.at;
  const people = (employeeIds: string[], inbox: string, reason: string): Recipient[] =>
    employeeIds.length
      ? employeeIds.map((employeeId) => ({ employeeId, role: null, reason }))
      : [{ employeeId: null, role: inbox, reason }];
  const hr = (reason: string): Recipient[] =>
    people(hrPartnersFor(directory, facts().subjectEmployeeId, date), 'hr', reason);
  const person = (relative: 'self' | 'manager' | 'skip-level', reason: string): Recipient[] => {
    const { subjectEmployeeId, subjectOrgUnitId } = facts();
    const employeeId =
      subjectEmployeeId !== null
        ? resolveRelative(directory, relative, subjectEmployeeId, date)
        : subjectOrgUnitId
          ? unitHeadFor(directory, subjectOrgUnitId, relative, date)
          : null;
    return employeeId === null ? hr(`${reason}-vacant`) : [{ employeeId, role: null, reason }];
  };
  const processOwners = (reason: string): Recipient[] => {
    const { subjectEmployeeId, workflowId } = facts();
    const processes = [event.data.stepKey.split('.')[0], ...(workflowId === null ? [] : [workflowId])];
    return people(processOwnersFor(directory, processes, subjectEmployeeId, date), 'process-owner', reason);
  };
  if (event.type === 'StepEscalated') {
    const to = event.data.to;
    if (to === 'manager' || to === 'skip-level') return person(to, `escalation-${to}`);
    if (to === 'process-owner') return processOwners('escalation-process-owner');
    return hr('escalation-hr');
  }
  const { actor, employeeId } = event.data.assignee;
  if (employeeId !== null) return [{ employeeId, role: null, reason: 'assignee' }];
  if (actor === 'self' || actor === 'manager' || actor === 'skip-level') return person(actor, 'assignee');
  if (actor === 'process-owner') return processOwners('assignee');
  if (actor === 'hr') return hr('assignee');
  // Peers are many and chosen per appraisal (nominations): a peer step is nobody's task at opening.
  if (event.type === 'StepOpened') return [];
  return [{ employeeId: null, role: actor, reason: 'assignee' }];
}

/**
 * Steps that land now are told at opening; one opened for later (the year's monthly reviews open
 * with the plan's approval, the annual ratings months before the cycle ends) is told by its
 * reminders, else everyone would get a dozen tasks they cannot act on yet.
 */
export const TASK_NOTICE_WINDOW_DAYS = 31;

export function taskLandsNow(event: AppraisalEventOf<'StepOpened'>): boolean {
  const { at, dueAt } = event.data;
  return (
    dueAt === null ||
    new Date(dueAt).getTime() - new Date(at).getTime() <= TASK_NOTICE_WINDOW_DAYS * 86_400_000
  );
}
