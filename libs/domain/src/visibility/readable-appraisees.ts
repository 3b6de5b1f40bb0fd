import type { Subject } from '../cycle/cycle.events';
import { ancestorsOf, relationOf, reportsOf } from '../directory/directory.queries';
import type { Directory } from '../directory/directory.state';
import { headOf, relationToUnit } from '../directory/unit-heads';
import type { Relation, Role } from '../shared/context';
import { readsEveryAppraisal, seesAppraisal } from './visibility';

/** Who is reading a list or a report: their role and, for people, their employee id. */
export interface Reader {
  role: Role;
  employeeId?: string;
}

/**
 * The appraisees whose appraisals and scores the reader may read, as of `date`: undefined for
 * everyone (the roles that read every appraisal), else themselves and the people they manage
 * directly or one level down: exactly the people `seesAppraisal` allows (self, manager,
 * skip-level). The score list, the score reports and the cycle's list all ask this one function.
 */
export function readableAppraisees(reader: Reader, directory: Directory, date: string): string[] | undefined {
  if (readsEveryAppraisal(reader.role)) return undefined;
  if (!reader.employeeId) return [];
  const { reports, skipReports } = reportsOf(directory, reader.employeeId, date);
  return [reader.employeeId, ...reports, ...skipReports];
}

/** The reader's relation to an appraisal's subject: a person (self, manager chain) or a unit (its heads). */
export function relationToSubject(
  reader: Reader,
  directory: Directory,
  subject: Subject,
  date: string,
): Relation {
  if (!reader.employeeId) return 'none';
  if (subject.kind === 'org-unit')
    return relationToUnit(directory, reader.employeeId, subject.orgUnitId, date);
  if (subject.employeeId === reader.employeeId) return 'self';
  return relationOf(directory, reader.employeeId, subject.employeeId, date);
}

/** Whether the reader may know of an appraisal of this subject (`seesAppraisal`, from the directory). */
export function seesAppraisalOf(
  reader: Reader,
  directory: Directory,
  subject: Subject,
  date: string,
): boolean {
  return seesAppraisal({ role: reader.role, relation: relationToSubject(reader, directory, subject, date) });
}

/**
 * Whether the reader may read a unit's score report (its grade distribution, forced-distribution
 * check and calibration counts): the roles that read every appraisal, and the managers of the
 * unit's line, that is the head of the unit or of any unit above it. The report counts the whole
 * unit, not only the reader's own reports, so a head sees the distribution calibration works on.
 * To anyone else the unit reads as absent.
 */
export function readsUnitScores(
  reader: Reader,
  directory: Directory,
  orgUnitId: string,
  date: string,
): boolean {
  if (readsEveryAppraisal(reader.role)) return true;
  if (!reader.employeeId || directory.status === 'empty' || !(orgUnitId in directory.orgUnits)) return false;
  return [orgUnitId, ...ancestorsOf(directory, orgUnitId, date)].some(
    (unit) => headOf(directory, unit, date) === reader.employeeId,
  );
}

/**
 * The org units whose own appraisal the reader acts on, by the relation `relationToUnit` gives
 * (ADR 0120): as the unit's head (`self`), the parent unit's head (`manager`), the head above
 * (`skip-level`). The inbox shows a unit appraisal's steps to these people.
 */
export function unitsActedOnBy(
  reader: Reader,
  directory: Directory,
  date: string,
): { self: string[]; manager: string[]; skipLevel: string[] } {
  const units = { self: [] as string[], manager: [] as string[], skipLevel: [] as string[] };
  if (!reader.employeeId || directory.status === 'empty') return units;
  for (const orgUnitId of Object.keys(directory.orgUnits)) {
    const relation = relationToUnit(directory, reader.employeeId, orgUnitId, date);
    if (relation === 'self') units.self.push(orgUnitId);
    else if (relation === 'manager') units.manager.push(orgUnitId);
    else if (relation === 'skip-level') units.skipLevel.push(orgUnitId);
  }
  return units;
}
