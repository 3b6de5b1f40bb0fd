import type { DirectoryCommand } from '@verity/domain';

/** HR's directory commands as the worker's tests record them, each effective from the date given. */

/** A branch at the top of the tree. */
export const branch = (orgUnitId: string, name: string, effectiveFrom: string): DirectoryCommand => ({
  type: 'CreateOrgUnit',
  data: { orgUnitId, parentId: null, kind: 'branch', name, effectiveFrom },
});

/** A hire into `orgUnitId` under `managerId`, with no position or e-mail address unless given. */
export const hire = (
  employeeId: string,
  orgUnitId: string,
  managerId: string | null,
  name: string,
  effectiveFrom: string,
  more: { position?: string; email?: string } = {},
): DirectoryCommand => ({
  type: 'HireEmployee',
  data: { employeeId, orgUnitId, managerId, position: null, name, effectiveFrom, ...more },
});

/** A move of `employeeId` into `orgUnitId`. */
export const transfer = (employeeId: string, orgUnitId: string, effectiveFrom: string): DirectoryCommand => ({
  type: 'TransferEmployee',
  data: { employeeId, orgUnitId, effectiveFrom },
});
