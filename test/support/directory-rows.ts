/** Rows of a directory import (`POST /directory/import`) as the end-to-end tests write them. */

/** An org unit, named after its id unless `name` is given. */
export const unit = (
  orgUnitId: string,
  parentId: string | null,
  kind: string,
  name = orgUnitId.toUpperCase(),
) => ({
  command: 'CreateOrgUnit',
  orgUnitId,
  parentId,
  kind,
  name,
  effectiveFrom: '2025-01-01',
});

/** A person hired on 1 January 2025, named after their id (`e-ann` → `ANN`) unless `name` is given. */
export const hire = (
  employeeId: string,
  orgUnitId: string,
  managerId: string | null,
  name = employeeId.slice(2).toUpperCase(),
) => ({
  command: 'HireEmployee',
  employeeId,
  orgUnitId,
  managerId,
  position: null,
  name,
  effectiveFrom: '2025-01-01',
});
