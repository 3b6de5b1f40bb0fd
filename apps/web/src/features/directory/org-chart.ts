import type { Answer } from '../../api/client';

export type DirectoryAnswer = Answer<'/directory'>;
export type OrgUnit = DirectoryAnswer['orgUnits'][number];
export type Employee = DirectoryAnswer['employees'][number];

/** One unit of the org chart: its head, its people and its child units. */
export interface UnitNode {
  unit: OrgUnit;
  head: Employee | null;
  people: Employee[];
  children: UnitNode[];
}

const matches = (text: string, ...values: (string | null)[]) =>
  values.some((value) => value !== null && value.toLowerCase().includes(text));

/**
 * The directory as a tree of units from its roots down, each with its head and people. With a
 * search text (a name or an id, any case), only what leads to a match stays: a unit that matches
 * keeps everything under it; otherwise it keeps the people who match and the child units that lead
 * to a match, so a person found is shown inside the units above them.
 */
export function orgChartOf(directory: DirectoryAnswer, search = ''): UnitNode[] {
  const text = search.trim().toLowerCase();
  const byId = new Map(directory.employees.map((employee) => [employee.employeeId, employee]));
  const build = (unit: OrgUnit, above: ReadonlySet<string>, shown: boolean): UnitNode | null => {
    // The directory refuses a cycle of parents; a tree read from data still stops at one.
    if (above.has(unit.orgUnitId)) return null;
    const path = new Set(above).add(unit.orgUnitId);
    const whole = shown || !text || matches(text, unit.orgUnitId, unit.name);
    const children = directory.orgUnits
      .filter((child) => child.parentId === unit.orgUnitId)
      .map((child) => build(child, path, whole))
      .filter((node): node is UnitNode => node !== null);
    const people = directory.employees.filter(
      (employee) =>
        employee.orgUnitId === unit.orgUnitId && (whole || matches(text, employee.employeeId, employee.name)),
    );
    if (!whole && people.length === 0 && children.length === 0) return null;
    return { unit, head: unit.headId ? (byId.get(unit.headId) ?? null) : null, people, children };
  };
  return directory.orgUnits
    .filter((unit) => unit.parentId === null)
    .map((unit) => build(unit, new Set(), false))
    .filter((node): node is UnitNode => node !== null);
}
