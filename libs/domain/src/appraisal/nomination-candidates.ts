import { ancestorsOf, employeesInScope, managementChain, orgUnitOf } from '../directory/directory.queries';
import type { Directory } from '../directory/directory.state';
import type { Relation, Role } from '../shared/context';
import { seesName } from '../visibility/visibility';

/**
 * The colleagues an appraisee may be offered as 360 raters on a date (ADR 0099): everyone employed
 * in the appraisee's department (the parent of the appraisee's unit and every unit under it; the
 * unit itself when it has no parent), except the appraisee and their manager chain, who rate in
 * their own groups. Sorted by employee id. A suggestion list, not a rule of the domain:
 * `NominateRater` still accepts any colleague (HR assigns from anywhere).
 */
export function nominationCandidates(directory: Directory, appraiseeId: string, date: string): string[] {
  if (directory.status === 'empty') return [];
  const unit = orgUnitOf(directory, appraiseeId, date);
  if (unit === null) return [];
  const department = ancestorsOf(directory, unit, date)[0] ?? unit;
  const excluded = new Set([appraiseeId, ...managementChain(directory, appraiseeId, date)]);
  return employeesInScope(directory, [department], date)
    .flatMap((subject) => (subject.kind === 'employee' ? [subject.employeeId] : []))
    .filter((employeeId) => !excluded.has(employeeId));
}

/**
 * Whether a candidate's display name reaches the viewer of the candidate list (ADR 0099). Besides
 * whoever reads names anyway (`seesName`: HR, admins, the `pii` scope, the appraisee's manager
 * chain), the appraisee reads the names of their own candidates: choosing a rater by employee
 * number is not a choice. Only the name, only of colleagues of the appraisee's department, only to
 * the appraisee of the appraisal they nominate for; the process owner and auditors get ids.
 */
export function seesCandidateNames(viewer: {
  role: Role;
  scopes: readonly string[];
  relation: Relation;
}): boolean {
  return viewer.relation === 'self' || seesName(viewer);
}
