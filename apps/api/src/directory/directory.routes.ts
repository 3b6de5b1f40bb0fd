import type { CommandRoute } from '../commands/command-routes';

const HR = ['hr'] as const;
const from = '2026-01-01';

/** The directory's commands, one row each (the tenant's directory is one stream). */
export const directoryRoutes: CommandRoute[] = [
  {
    command: 'CreateTenant',
    path: 'tenant',
    roles: ['admin'],
    summary: 'Create the tenant (the directory of the organisation named in the credential)',
    example: { name: 'Demo Manufacturing Co.' },
  },
  {
    command: 'CreateOrgUnit',
    path: 'org-units',
    roles: HR,
    summary: 'Create an org unit (HQ, branch, department, team)',
    example: { orgUnitId: 'sales', parentId: 'hq', kind: 'department', name: 'Sales', effectiveFrom: from },
  },
  {
    command: 'RenameOrgUnit',
    path: 'org-units/:orgUnitId/rename',
    roles: HR,
    summary: 'Rename an org unit from a date',
    example: { name: 'Sales and Marketing', effectiveFrom: from },
  },
  {
    command: 'MoveOrgUnit',
    path: 'org-units/:orgUnitId/move',
    roles: HR,
    summary: 'Move an org unit under another parent from a date',
    example: { parentId: 'branch-north', effectiveFrom: from },
  },
  {
    command: 'HireEmployee',
    path: 'employees',
    roles: HR,
    summary: 'Hire an employee into an org unit (name and e-mail are personal data, kept under `pii`)',
    example: {
      employeeId: 'e-1001',
      orgUnitId: 'sales',
      managerId: 'e-1000',
      position: 'Sales manager',
      name: 'Li Wei',
      email: 'li.wei@example.com',
      effectiveFrom: from,
    },
  },
  {
    command: 'TransferEmployee',
    path: 'employees/:employeeId/transfer',
    roles: HR,
    summary: 'Transfer an employee to another org unit from a date',
    example: { orgUnitId: 'marketing', effectiveFrom: from },
  },
  {
    command: 'RecordEmployeeLeft',
    path: 'employees/:employeeId/leave',
    roles: HR,
    summary: 'Record that an employee leaves on a date',
    example: { effectiveFrom: '2026-06-30' },
  },
  {
    command: 'AssignManager',
    path: 'employees/:employeeId/manager',
    roles: HR,
    summary: "Assign an employee's manager from a date",
    example: { managerId: 'e-1000', effectiveFrom: from },
  },
  {
    command: 'AssignProcessOwner',
    path: 'employees/:employeeId/process-owner',
    roles: HR,
    summary: 'Make an employee the owner of a process (a workflow id or step kind), optionally per unit',
    example: { process: 'sales-4232', orgUnitId: 'sales', effectiveFrom: from },
  },
  {
    command: 'AssignHrPartner',
    path: 'employees/:employeeId/hr-partner',
    roles: HR,
    summary:
      "Make an employee the HR partner of a unit (and its sub-units; none: all units): HR's escalations reach them",
    example: { orgUnitId: 'sales', effectiveFrom: from },
  },
  {
    command: 'RequestSubjectErasure',
    path: 'employees/:employeeId/erasure',
    roles: HR,
    summary:
      "Ask for an employee's personal data to be erased (PIPL / GDPR); an auditor must approve it (EraseSubjectData)",
    example: {},
  },
  {
    command: 'EraseSubjectData',
    path: 'employees/:employeeId/erasure/approve',
    roles: ['auditor'],
    summary:
      "Approve a requested erasure: the employee's data keys are destroyed, so their personal data reads as erased everywhere",
    example: {},
  },
];
