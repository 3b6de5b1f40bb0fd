import type { Directory } from '../directory/directory.state';
import { employeesInScope } from '../directory/directory.queries';
import type { Subject } from './cycle.events';

/** The day a cycle's scope is taken on: its first day (1 January, or 1 July for a second half-year). */
export function cycleScopeDate(cycle: { year: number; half?: 1 | 2 }): string {
  return cycle.half === 2 ? `${cycle.year}-07-01` : `${cycle.year}-01-01`;
}

/** Who a cycle opened over org units appraises: the employees of those units on the cycle's first day. */
export function subjectsInScope(
  directory: Directory,
  orgUnitIds: readonly string[],
  cycle: { year: number; half?: 1 | 2 },
): Subject[] {
  return employeesInScope(directory, orgUnitIds, cycleScopeDate(cycle));
}
