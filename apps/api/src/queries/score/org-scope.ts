import { ancestorsOf, managementChain, managerOf, type Directory } from '@verity/domain';

type ActiveDirectory = Extract<Directory, { status: 'active' }>;

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
  const active = directory as ActiveDirectory;
  const below = Object.keys(active.orgUnits).filter((unit) =>
    ancestorsOf(active, unit, date).includes(orgUnitId),
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
