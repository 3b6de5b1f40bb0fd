import type { Relation } from '../shared/context';
import type { Subject } from '../cycle/cycle.events';
import {
  isEmployedAt,
  valueAt,
  type ActiveDirectory,
  type Directory,
  type UnitAssignment,
} from './directory.state';

/**
 * Questions the API, the timers, the process managers and the read models ask of the directory,
 * as of a date: pure functions of the folded state.
 */

export function ancestorsOf(state: ActiveDirectory, orgUnitId: string, date: string): string[] {
  const chain: string[] = [];
  let current: string | null | undefined = orgUnitId;
  while (current && state.orgUnits[current] && !chain.includes(current)) {
    chain.push(current);
    current = valueAt(state.orgUnits[current].parent, date);
  }
  return chain.slice(1);
}

export function managerOf(state: Directory, employeeId: string, date: string): string | null {
  if (state.status === 'empty' || !state.employees[employeeId]) return null;
  return valueAt(state.employees[employeeId].manager, date) ?? null;
}

export function orgUnitOf(state: Directory, employeeId: string, date: string): string | null {
  if (state.status === 'empty' || !state.employees[employeeId]) return null;
  return valueAt(state.employees[employeeId].orgUnit, date) ?? null;
}

/** The employee's managers upwards (manager, manager's manager, ...). */
export function managementChain(state: Directory, employeeId: string, date: string): string[] {
  const chain: string[] = [];
  let current = managerOf(state, employeeId, date);
  while (current !== null && !chain.includes(current)) {
    chain.push(current);
    current = managerOf(state, current, date);
  }
  return chain;
}

/** The actor's relation to the subject on a date: what the API puts into `DomainContext.relation`. */
export function relationOf(
  state: Directory,
  actorEmployeeId: string | undefined,
  subjectEmployeeId: string,
  date: string,
): Relation {
  if (actorEmployeeId === undefined) return 'none';
  if (actorEmployeeId === subjectEmployeeId) return 'self';
  const chain = managementChain(state, subjectEmployeeId, date);
  if (chain[0] === actorEmployeeId) return 'manager';
  if (chain[1] === actorEmployeeId) return 'skip-level';
  const manager = managerOf(state, subjectEmployeeId, date);
  if (manager !== null && manager === managerOf(state, actorEmployeeId, date)) return 'peer';
  return 'none';
}

/** Employees in the given units (and their sub-units) on a date, as cycle subjects. */
export function employeesInScope(state: Directory, orgUnitIds: readonly string[], date: string): Subject[] {
  if (state.status === 'empty') return [];
  return Object.entries(state.employees)
    .filter(([, record]) => isEmployedAt(record, date))
    .map(([employeeId, record]) => ({ employeeId, orgUnitId: valueAt(record.orgUnit, date) }))
    .filter((row): row is { employeeId: string; orgUnitId: string } => {
      if (row.orgUnitId === undefined) return false;
      const lineage = [row.orgUnitId, ...ancestorsOf(state, row.orgUnitId, date)];
      return lineage.some((id) => orgUnitIds.includes(id));
    })
    .sort((a, b) => (a.employeeId < b.employeeId ? -1 : 1))
    .map(({ employeeId, orgUnitId }) => ({ kind: 'employee' as const, employeeId, orgUnitId }));
}

/**
 * Who owns a process for an appraisee on a date: the process-owner assignments in force that name
 * the workflow or the step kind, and cover the appraisee's unit (an assignment to a unit covers its
 * sub-units; one without a unit covers all). Employees who have left are not asked. Sorted by id.
 */
export function processOwnersFor(
  state: Directory,
  processes: readonly string[],
  subjectEmployeeId: string | null,
  date: string,
): string[] {
  if (state.status === 'empty') return [];
  const named = state.processOwners.filter((owner) => processes.includes(owner.process));
  return coveringAssignees(state, named, subjectEmployeeId, date);
}

/** The HR partners of an appraisee on a date: as `processOwnersFor`, for the HR partner assignments. */
export function hrPartnersFor(state: Directory, subjectEmployeeId: string | null, date: string): string[] {
  if (state.status === 'empty') return [];
  return coveringAssignees(state, state.hrPartners, subjectEmployeeId, date);
}

/** The employed assignees of assignments in force on `date` whose unit covers the subject's. */
function coveringAssignees(
  state: ActiveDirectory,
  assignments: readonly UnitAssignment[],
  subjectEmployeeId: string | null,
  date: string,
): string[] {
  const day = date.slice(0, 10);
  const unit = subjectEmployeeId === null ? null : orgUnitOf(state, subjectEmployeeId, day);
  const lineage = unit === null ? [] : [unit, ...ancestorsOf(state, unit, day)];
  const assignees = assignments
    .filter((assignment) => assignment.from <= day)
    .filter((assignment) => assignment.orgUnitId === null || lineage.includes(assignment.orgUnitId))
    .map((assignment) => assignment.employeeId)
    .filter((employeeId) => {
      const record = state.employees[employeeId];
      return record !== undefined && isEmployedAt(record, day);
    });
  return [...new Set(assignees)].sort();
}

/**
 * The employee who fills a step role or an escalation target for an appraisee on a date
 * (`self`, `manager`, `skip-level`); null for roles filled by a group (`hr`, `process-owner`, `peer`)
 * or when nobody holds the position. Inbox, reminders and escalations use it.
 */
export function resolveRelative(
  state: Directory,
  relative: string,
  subjectEmployeeId: string,
  date: string,
): string | null {
  if (relative === 'self') return subjectEmployeeId;
  const chain = managementChain(state, subjectEmployeeId, date);
  if (relative === 'manager') return chain[0] ?? null;
  if (relative === 'skip-level') return chain[1] ?? null;
  return null;
}

// ---- org scope: whom a person manages, what a unit covers (the score and inbox reads) ----

/** The people one person manages on a date: directly (`reports`) and one level down (`skipReports`). */
export function reportsOf(directory: Directory, employeeId: string, date: string) {
  const reports: string[] = [];
  const skipReports: string[] = [];
  if (directory.status === 'empty') return { reports, skipReports, peers: [] as string[] };
  const myManager = managerOf(directory, employeeId, date);
  const peers: string[] = [];
  for (const other of Object.keys(directory.employees)) {
    if (other === employeeId) continue;
    const chain = managementChain(directory, other, date);
    if (chain[0] === employeeId) reports.push(other);
    else if (chain[1] === employeeId) skipReports.push(other);
    if (myManager !== null && chain[0] === myManager) peers.push(other);
  }
  return { reports, skipReports, peers };
}

/** A unit and every unit under it on a date (the unit alone when the directory does not know it). */
export function unitAndBelow(directory: Directory, orgUnitId: string, date: string): string[] {
  if (directory.status === 'empty') return [orgUnitId];
  const below = Object.keys(directory.orgUnits).filter((unit) =>
    ancestorsOf(directory, unit, date).includes(orgUnitId),
  );
  return [orgUnitId, ...below];
}

/** The process-owner assignments in force on a date, each with the units it covers (null: all). */
export function processOwnersOf(directory: Directory, date: string, employeeId?: string) {
  if (directory.status === 'empty') return [];
  const day = date.slice(0, 10);
  return directory.processOwners
    .filter((owner) => owner.from <= day && (employeeId === undefined || owner.employeeId === employeeId))
    .map((owner) => ({
      ownerEmployeeId: owner.employeeId,
      process: owner.process,
      orgUnitIds: owner.orgUnitId === null ? null : unitAndBelow(directory, owner.orgUnitId, date),
    }));
}
