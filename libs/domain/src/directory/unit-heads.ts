import type { Relation } from '../shared/context';
import { managerOf, orgUnitOf } from './directory.queries';
import { valueAt, type Directory } from './directory.state';

/**
 * The head of an org unit on a date: the one employee of the unit whose manager works outside it
 * (or who has none). The directory records reporting lines, not titles, so the head is read from
 * them; a unit with no such employee, or with several, has no head that day.
 */
export function headOf(state: Directory, orgUnitId: string, date: string): string | null {
  if (state.status === 'empty') return null;
  const day = date.slice(0, 10);
  const employed = (employeeId: string) => {
    const record = state.employees[employeeId];
    return !!record && record.hiredFrom <= day && (record.leftFrom === null || day < record.leftFrom);
  };
  // A manager who has left leaves their reports heading upwards: the unit's top is whoever remains.
  const inUnit = (employeeId: string | null) =>
    employeeId !== null && employed(employeeId) && orgUnitOf(state, employeeId, date) === orgUnitId;
  const heads = Object.keys(state.employees).filter(
    (employeeId) => inUnit(employeeId) && !inUnit(managerOf(state, employeeId, date)),
  );
  return heads.length === 1 ? heads[0] : null;
}

/**
 * The actor's relation to an org unit's appraisal: its head acts for the unit (`self`), the parent
 * unit's head assesses it (`manager`), the head above that is `skip-level`.
 */
export function relationToUnit(
  state: Directory,
  actorEmployeeId: string | undefined,
  orgUnitId: string,
  date: string,
): Relation {
  if (actorEmployeeId === undefined || state.status === 'empty') return 'none';
  const chain: string[] = [];
  let unit: string | null | undefined = orgUnitId;
  while (unit && state.orgUnits[unit] && !chain.includes(unit) && chain.length < 3) {
    chain.push(unit);
    unit = valueAt(state.orgUnits[unit].parent, date);
  }
  const relations: Relation[] = ['self', 'manager', 'skip-level'];
  const found = chain.findIndex((id) => headOf(state, id, date) === actorEmployeeId);
  return found >= 0 ? relations[found] : 'none';
}

/** The head `relative` to an org unit's appraisal: its own head (`self`), the parent's, the one above. */
export function unitHeadFor(
  state: Directory,
  orgUnitId: string,
  relative: 'self' | 'manager' | 'skip-level',
  date: string,
): string | null {
  if (state.status === 'empty') return null;
  let unit: string | null | undefined = orgUnitId;
  for (let up = ['self', 'manager', 'skip-level'].indexOf(relative); up > 0 && unit; up--)
    unit = state.orgUnits[unit] ? valueAt(state.orgUnits[unit].parent, date) : null;
  return unit ? headOf(state, unit, date) : null;
}
