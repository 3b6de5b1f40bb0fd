import {
  ConflictError,
  IllegalStateError,
  NotFoundError,
  isDomainError,
  type DomainError,
} from '../shared/errors';
import type { DomainContext } from '../shared/context';
import { requireRole } from '../shared/authorize';
import { assertNever } from '../shared/messages';
import type { DirectoryCommand } from './directory.commands';
import type { DirectoryEvent } from './directory.events';
import {
  evolveDirectory,
  isEmployedAt,
  type ActiveDirectory,
  type Directory,
  type EmployeeRecord,
  type OrgUnitRecord,
} from './directory.state';
import { ancestorsOf, managementChain } from './directory.queries';

const HR = ['hr', 'admin'] as const;

function active(state: Directory): ActiveDirectory {
  if (state.status === 'empty')
    throw new IllegalStateError('tenant-not-created', 'the tenant has not been created');
  return state;
}
function unit(state: ActiveDirectory, id: string): OrgUnitRecord {
  const found = state.orgUnits[id];
  if (!found)
    throw new NotFoundError('org-unit-not-found', `org unit "${id}" does not exist`, { orgUnitId: id });
  return found;
}
function employee(state: ActiveDirectory, id: string, at: string): EmployeeRecord {
  const found = state.employees[id];
  if (!found)
    throw new NotFoundError('employee-not-found', `employee "${id}" does not exist`, { employeeId: id });
  if (!isEmployedAt(found, at))
    throw new IllegalStateError('employee-not-employed', `employee "${id}" is not employed on ${at}`);
  return found;
}

export function decideDirectory(
  command: DirectoryCommand,
  state: Directory,
  ctx: DomainContext,
): DirectoryEvent[] {
  if (command.type === 'CreateTenant') {
    requireRole(ctx, ['admin'], 'Creating a tenant');
    if (state.status !== 'empty')
      throw new ConflictError('tenant-exists', `tenant "${state.tenantId}" already exists`);
    return [
      { type: 'TenantCreated', data: { tenantId: ctx.tenantId, name: command.data.name, at: ctx.now } },
    ];
  }
  if (command.type === 'RequestSubjectErasure' || command.type === 'EraseSubjectData')
    return decideErasure(command, active(state), ctx);
  requireRole(ctx, HR, command.type);
  const dir = active(state);
  switch (command.type) {
    case 'CreateOrgUnit': {
      const { orgUnitId, parentId } = command.data;
      if (dir.orgUnits[orgUnitId])
        throw new ConflictError('org-unit-exists', `org unit "${orgUnitId}" already exists`);
      if (parentId !== null) unit(dir, parentId);
      return [{ type: 'OrgUnitCreated', data: command.data }];
    }
    case 'RenameOrgUnit':
      unit(dir, command.data.orgUnitId);
      return [{ type: 'OrgUnitRenamed', data: command.data }];
    case 'MoveOrgUnit': {
      const { orgUnitId, parentId, effectiveFrom } = command.data;
      unit(dir, orgUnitId);
      unit(dir, parentId);
      if (ancestorsOf(dir, parentId, effectiveFrom).includes(orgUnitId) || parentId === orgUnitId)
        throw new IllegalStateError(
          'org-unit-cycle',
          `moving "${orgUnitId}" under "${parentId}" would make it its own ancestor`,
        );
      return [{ type: 'OrgUnitMoved', data: command.data }];
    }
    case 'HireEmployee': {
      const { employeeId, orgUnitId, managerId, position, effectiveFrom, name, email } = command.data;
      if (dir.employees[employeeId])
        throw new ConflictError('employee-exists', `employee "${employeeId}" already exists`);
      unit(dir, orgUnitId);
      if (managerId !== null) employee(dir, managerId, effectiveFrom);
      return [
        {
          type: 'EmployeeHired',
          data: {
            employeeId,
            orgUnitId,
            managerId,
            position,
            effectiveFrom,
            pii: email === undefined ? { name } : { name, email },
          },
        },
      ];
    }
    case 'TransferEmployee':
      employee(dir, command.data.employeeId, command.data.effectiveFrom);
      unit(dir, command.data.orgUnitId);
      return [{ type: 'EmployeeTransferred', data: command.data }];
    case 'RecordEmployeeLeft': {
      const record = dir.employees[command.data.employeeId];
      if (!record)
        throw new NotFoundError('employee-not-found', `employee "${command.data.employeeId}" does not exist`);
      if (record.leftFrom !== null)
        throw new IllegalStateError(
          'employee-left',
          `employee "${command.data.employeeId}" has already left`,
        );
      return [{ type: 'EmployeeLeft', data: command.data }];
    }
    case 'AssignManager': {
      const { employeeId, managerId, effectiveFrom } = command.data;
      employee(dir, employeeId, effectiveFrom);
      employee(dir, managerId, effectiveFrom);
      if (managerId === employeeId || managementChain(dir, managerId, effectiveFrom).includes(employeeId))
        throw new IllegalStateError(
          'manager-cycle',
          `"${managerId}" cannot manage "${employeeId}": the chain would loop`,
        );
      return [{ type: 'ManagerAssigned', data: command.data }];
    }
    case 'AssignProcessOwner':
      employee(dir, command.data.employeeId, command.data.effectiveFrom);
      if (command.data.orgUnitId !== null) unit(dir, command.data.orgUnitId);
      return [{ type: 'ProcessOwnerAssigned', data: command.data }];
    case 'AssignHrPartner':
      employee(dir, command.data.employeeId, command.data.effectiveFrom);
      if (command.data.orgUnitId !== null) unit(dir, command.data.orgUnitId);
      return [{ type: 'HrPartnerAssigned', data: command.data }];
    default:
      return assertNever(command);
  }
}

/**
 * Erasure needs two people: HR asks, an auditor approves (four eyes: never the same user). The
 * approval's event is what destroys the keys (the store, docs/adr/0115), so it is decided once.
 */
function decideErasure(
  command: Extract<DirectoryCommand, { type: 'RequestSubjectErasure' | 'EraseSubjectData' }>,
  dir: ActiveDirectory,
  ctx: DomainContext,
): DirectoryEvent[] {
  const { employeeId } = command.data;
  if (!dir.employees[employeeId])
    throw new NotFoundError('employee-not-found', `employee "${employeeId}" does not exist`, { employeeId });
  const erasure = dir.erasures?.[employeeId];
  if (erasure?.status === 'erased')
    throw new ConflictError('subject-erased', `the personal data of "${employeeId}" is erased already`);
  if (command.type === 'RequestSubjectErasure') {
    requireRole(ctx, ['hr'], 'Requesting an erasure');
    if (erasure?.status === 'requested')
      throw new ConflictError('erasure-requested', `an erasure of "${employeeId}" is waiting for approval`);
    return [
      { type: 'SubjectErasureRequested', data: { employeeId, requestedBy: ctx.actor.id, at: ctx.now } },
    ];
  }
  requireRole(ctx, ['auditor'], 'Approving an erasure');
  if (!erasure)
    throw new IllegalStateError('erasure-not-requested', `no erasure of "${employeeId}" was requested by HR`);
  if (erasure.requestedBy === ctx.actor.id)
    throw new IllegalStateError(
      'erasure-needs-second-person',
      'an erasure is approved by someone other than who asked',
    );
  return [
    {
      type: 'SubjectDataErased',
      data: { employeeId, requestedBy: erasure.requestedBy, approvedBy: ctx.actor.id, at: ctx.now },
    },
  ];
}

/**
 * Decides many commands in order, each on the state the ones before it left (a bulk CSV/JSON
 * import). A refused command is skipped and its error kept with its index, so every problem of a
 * file is named at once: the import's preview shows them, the import appends only when there is none.
 */
export function decideDirectoryEach(
  commands: readonly DirectoryCommand[],
  state: Directory,
  ctx: DomainContext,
): { events: DirectoryEvent[]; refused: { index: number; error: DomainError }[] } {
  const events: DirectoryEvent[] = [];
  const refused: { index: number; error: DomainError }[] = [];
  let current = state;
  commands.forEach((command, index) => {
    try {
      const produced = decideDirectory(command, current, ctx);
      current = produced.reduce(evolveDirectory, current);
      events.push(...produced);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      refused.push({ index, error });
    }
  });
  return { events, refused };
}

/** Many commands, all or nothing: the events of all, or the first refusal thrown. */
export function decideDirectoryBatch(
  commands: readonly DirectoryCommand[],
  state: Directory,
  ctx: DomainContext,
): DirectoryEvent[] {
  const { events, refused } = decideDirectoryEach(commands, state, ctx);
  if (refused.length > 0) throw refused[0].error;
  return events;
}
