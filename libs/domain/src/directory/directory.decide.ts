import { ConflictError, IllegalStateError, NotFoundError } from '../shared/errors';
import type { DomainContext, Relation } from '../shared/context';
import { requireRole } from '../shared/authorize';
import { assertNever } from '../shared/messages';
import type { Subject } from '../cycle/cycle.events';
import type { DirectoryCommand } from './directory.commands';
import type { DirectoryEvent } from './directory.events';

/** A value that changes over time: entries sorted by `from` (a calendar day, inclusive). */
export type Dated<T> = { from: string; value: T }[];

export interface OrgUnitRecord {
  kind: string;
  createdFrom: string;
  parent: Dated<string | null>;
  name: Dated<string>;
}
export interface EmployeeRecord {
  hiredFrom: string;
  leftFrom: string | null;
  orgUnit: Dated<string>;
  manager: Dated<string | null>;
  position: string | null;
}

/** The directory of one tenant (stream `directory-<tenant>.<tenant>`): effective-dated throughout. */
export type Directory =
  | { status: 'empty' }
  | {
      status: 'active';
      tenantId: string;
      name: string;
      orgUnits: Record<string, OrgUnitRecord>;
      employees: Record<string, EmployeeRecord>;
      processOwners: ({ process: string } & UnitAssignment)[];
      /** HR people who look after a unit: HR's share of escalations and vacancies reaches them. */
      hrPartners: UnitAssignment[];
      /** Erasures of personal data asked for or done, by employee (absent: none). */
      erasures?: Record<string, Erasure>;
    };
/** An erasure waits for a second person (an auditor) after HR asked for it. */
export type Erasure = { status: 'requested'; requestedBy: string } | { status: 'erased' };
/** An employee's assignment, from a date, to a unit with its sub-units (null: every unit). */
interface UnitAssignment {
  employeeId: string;
  orgUnitId: string | null;
  from: string;
}
type ActiveDirectory = Extract<Directory, { status: 'active' }>;

export const initialDirectoryState = (): Directory => ({ status: 'empty' });

/** The value in force on `date` (YYYY-MM-DD or an ISO instant); undefined before the first entry. */
export function valueAt<T>(dated: Dated<T>, date: string): T | undefined {
  const day = date.slice(0, 10);
  let found: T | undefined;
  for (const entry of dated) if (entry.from <= day) found = entry.value;
  return found;
}

function withEntry<T>(dated: Dated<T>, from: string, value: T): Dated<T> {
  // Back-dated changes are allowed: keep the history ordered by effective date, stable for ties.
  return [...dated, { from, value }].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

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

function isEmployedAt(record: EmployeeRecord, date: string): boolean {
  const day = date.slice(0, 10);
  return record.hiredFrom <= day && (record.leftFrom === null || day < record.leftFrom);
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

export function evolveDirectory(state: Directory, event: DirectoryEvent): Directory {
  if (event.type === 'TenantCreated')
    return {
      status: 'active',
      tenantId: event.data.tenantId,
      name: event.data.name,
      orgUnits: {},
      employees: {},
      processOwners: [],
      hrPartners: [],
    };
  if (state.status === 'empty') return state;
  const units = state.orgUnits;
  const people = state.employees;
  switch (event.type) {
    case 'OrgUnitCreated': {
      const { orgUnitId, parentId, kind, name, effectiveFrom } = event.data;
      const record = {
        kind,
        createdFrom: effectiveFrom,
        parent: [{ from: effectiveFrom, value: parentId }],
        name: [{ from: effectiveFrom, value: name }],
      };
      return { ...state, orgUnits: { ...units, [orgUnitId]: record } };
    }
    case 'OrgUnitRenamed': {
      const record = units[event.data.orgUnitId];
      return {
        ...state,
        orgUnits: {
          ...units,
          [event.data.orgUnitId]: {
            ...record,
            name: withEntry(record.name, event.data.effectiveFrom, event.data.name),
          },
        },
      };
    }
    case 'OrgUnitMoved': {
      const record = units[event.data.orgUnitId];
      return {
        ...state,
        orgUnits: {
          ...units,
          [event.data.orgUnitId]: {
            ...record,
            parent: withEntry(record.parent, event.data.effectiveFrom, event.data.parentId),
          },
        },
      };
    }
    case 'EmployeeHired': {
      const { employeeId, orgUnitId, managerId, position, effectiveFrom } = event.data;
      const record: EmployeeRecord = {
        hiredFrom: effectiveFrom,
        leftFrom: null,
        orgUnit: [{ from: effectiveFrom, value: orgUnitId }],
        manager: [{ from: effectiveFrom, value: managerId }],
        position,
      };
      return { ...state, employees: { ...people, [employeeId]: record } };
    }
    case 'EmployeeTransferred': {
      const record = people[event.data.employeeId];
      return {
        ...state,
        employees: {
          ...people,
          [event.data.employeeId]: {
            ...record,
            orgUnit: withEntry(record.orgUnit, event.data.effectiveFrom, event.data.orgUnitId),
          },
        },
      };
    }
    case 'EmployeeLeft': {
      const record = people[event.data.employeeId];
      return {
        ...state,
        employees: { ...people, [event.data.employeeId]: { ...record, leftFrom: event.data.effectiveFrom } },
      };
    }
    case 'ManagerAssigned': {
      const record = people[event.data.employeeId];
      return {
        ...state,
        employees: {
          ...people,
          [event.data.employeeId]: {
            ...record,
            manager: withEntry(record.manager, event.data.effectiveFrom, event.data.managerId),
          },
        },
      };
    }
    case 'ProcessOwnerAssigned':
      return {
        ...state,
        processOwners: [
          ...state.processOwners,
          {
            employeeId: event.data.employeeId,
            process: event.data.process,
            orgUnitId: event.data.orgUnitId,
            from: event.data.effectiveFrom,
          },
        ],
      };
    case 'HrPartnerAssigned':
      return {
        ...state,
        hrPartners: [
          ...state.hrPartners,
          {
            employeeId: event.data.employeeId,
            orgUnitId: event.data.orgUnitId,
            from: event.data.effectiveFrom,
          },
        ],
      };
    case 'SubjectErasureRequested':
      return {
        ...state,
        erasures: {
          ...state.erasures,
          [event.data.employeeId]: { status: 'requested', requestedBy: event.data.requestedBy },
        },
      };
    case 'SubjectDataErased':
      return { ...state, erasures: { ...state.erasures, [event.data.employeeId]: { status: 'erased' } } };
    default:
      return assertNever(event);
  }
}

/** Folds many commands in order (bulk CSV/JSON import): all succeed together or the first error is thrown. */
export function decideDirectoryBatch(
  commands: DirectoryCommand[],
  state: Directory,
  ctx: DomainContext,
): DirectoryEvent[] {
  const events: DirectoryEvent[] = [];
  let current = state;
  for (const command of commands) {
    const produced = decideDirectory(command, current, ctx);
    current = produced.reduce(evolveDirectory, current);
    events.push(...produced);
  }
  return events;
}

// ---- questions the API, timers and read models ask of the directory, as of a date ----

export function ancestorsOf(state: ActiveDirectory, orgUnitId: string, date: string): string[] {
  const chain: string[] = [];
  let current: string | null | undefined = orgUnitId;
  while (current && state.orgUnits[current] && !chain.includes(current)) {
    chain.push(current);
    current = valueAt(state.orgUnits[current].parent, date);
  }
  return chain.slice(1);
}

export function managerOf(state: Directory, employeeId: string, date: string): string | null {
  if (state.status === 'empty' || !state.employees[employeeId]) return null;
  return valueAt(state.employees[employeeId].manager, date) ?? null;
}

export function orgUnitOf(state: Directory, employeeId: string, date: string): string | null {
  if (state.status === 'empty' || !state.employees[employeeId]) return null;
  return valueAt(state.employees[employeeId].orgUnit, date) ?? null;
}

/** The employee's managers upwards (manager, manager's manager, ...). */
export function managementChain(state: Directory, employeeId: string, date: string): string[] {
  const chain: string[] = [];
  let current = managerOf(state, employeeId, date);
  while (current !== null && !chain.includes(current)) {
    chain.push(current);
    current = managerOf(state, current, date);
  }
  return chain;
}

/** The actor's relation to the subject on a date: what the API puts into `DomainContext.relation`. */
export function relationOf(
  state: Directory,
  actorEmployeeId: string | undefined,
  subjectEmployeeId: string,
  date: string,
): Relation {
  if (actorEmployeeId === undefined) return 'none';
  if (actorEmployeeId === subjectEmployeeId) return 'self';
  const chain = managementChain(state, subjectEmployeeId, date);
  if (chain[0] === actorEmployeeId) return 'manager';
  if (chain[1] === actorEmployeeId) return 'skip-level';
  const manager = managerOf(state, subjectEmployeeId, date);
  if (manager !== null && manager === managerOf(state, actorEmployeeId, date)) return 'peer';
  return 'none';
}

/** Employees in the given units (and their sub-units) on a date, as cycle subjects. */
export function employeesInScope(state: Directory, orgUnitIds: readonly string[], date: string): Subject[] {
  if (state.status === 'empty') return [];
  return Object.entries(state.employees)
    .filter(([, record]) => isEmployedAt(record, date))
    .map(([employeeId, record]) => ({ employeeId, orgUnitId: valueAt(record.orgUnit, date) }))
    .filter((row): row is { employeeId: string; orgUnitId: string } => {
      if (row.orgUnitId === undefined) return false;
      const lineage = [row.orgUnitId, ...ancestorsOf(state, row.orgUnitId, date)];
      return lineage.some((id) => orgUnitIds.includes(id));
    })
    .sort((a, b) => (a.employeeId < b.employeeId ? -1 : 1))
    .map(({ employeeId, orgUnitId }) => ({ kind: 'employee' as const, employeeId, orgUnitId }));
}

/**
 * Who owns a process for an appraisee on a date: the process-owner assignments in force that name
 * the workflow or the step kind, and cover the appraisee's unit (an assignment to a unit covers its
 * sub-units; one without a unit covers all). Employees who have left are not asked. Sorted by id.
 */
export function processOwnersFor(
  state: Directory,
  processes: readonly string[],
  subjectEmployeeId: string | null,
  date: string,
): string[] {
  if (state.status === 'empty') return [];
  const named = state.processOwners.filter((owner) => processes.includes(owner.process));
  return coveringAssignees(state, named, subjectEmployeeId, date);
}

/** The HR partners of an appraisee on a date: as `processOwnersFor`, for the HR partner assignments. */
export function hrPartnersFor(state: Directory, subjectEmployeeId: string | null, date: string): string[] {
  if (state.status === 'empty') return [];
  return coveringAssignees(state, state.hrPartners, subjectEmployeeId, date);
}

/** The employed assignees of assignments in force on `date` whose unit covers the subject's. */
function coveringAssignees(
  state: ActiveDirectory,
  assignments: readonly UnitAssignment[],
  subjectEmployeeId: string | null,
  date: string,
): string[] {
  const day = date.slice(0, 10);
  const unit = subjectEmployeeId === null ? null : orgUnitOf(state, subjectEmployeeId, day);
  const lineage = unit === null ? [] : [unit, ...ancestorsOf(state, unit, day)];
  const assignees = assignments
    .filter((assignment) => assignment.from <= day)
    .filter((assignment) => assignment.orgUnitId === null || lineage.includes(assignment.orgUnitId))
    .map((assignment) => assignment.employeeId)
    .filter((employeeId) => {
      const record = state.employees[employeeId];
      return record !== undefined && isEmployedAt(record, day);
    });
  return [...new Set(assignees)].sort();
}

/**
 * The employee who fills a step role or an escalation target for an appraisee on a date
 * (`self`, `manager`, `skip-level`); null for roles filled by a group (`hr`, `process-owner`, `peer`)
 * or when nobody holds the position. Inbox, reminders and escalations use it.
 */
export function resolveRelative(
  state: Directory,
  relative: string,
  subjectEmployeeId: string,
  date: string,
): string | null {
  if (relative === 'self') return subjectEmployeeId;
  const chain = managementChain(state, subjectEmployeeId, date);
  if (relative === 'manager') return chain[0] ?? null;
  if (relative === 'skip-level') return chain[1] ?? null;
  return null;
}
