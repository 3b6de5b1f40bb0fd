import { assertNever } from '../shared/messages';
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
export interface UnitAssignment {
  employeeId: string;
  orgUnitId: string | null;
  from: string;
}
export type ActiveDirectory = Extract<Directory, { status: 'active' }>;

export const initialDirectoryState = (): Directory => ({ status: 'empty' });

/** The value in force on `date` (YYYY-MM-DD or an ISO instant); undefined before the first entry. */
export function valueAt<T>(dated: Dated<T>, date: string): T | undefined {
  const day = date.slice(0, 10);
  let found: T | undefined;
  for (const entry of dated) if (entry.from <= day) found = entry.value;
  return found;
}

export function withEntry<T>(dated: Dated<T>, from: string, value: T): Dated<T> {
  // Back-dated changes are allowed: keep the history ordered by effective date, stable for ties.
  return [...dated, { from, value }].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** A record with a dated entry added to one of its effective-dated fields (renamed, moved, transferred). */
function withDated<K extends string, R extends { [_ in K]: Dated<unknown> }>(
  record: R,
  field: K,
  from: string,
  value: R[K][number]['value'],
): R {
  return { ...record, [field]: withEntry(record[field], from, value) };
}

/** Whether the employee is employed on `date` (hired, not yet left). */
export function isEmployedAt(record: EmployeeRecord, date: string): boolean {
  const day = date.slice(0, 10);
  return record.hiredFrom <= day && (record.leftFrom === null || day < record.leftFrom);
}

/** What the directory keeps by id in each of its two maps. */
interface RecordOf {
  orgUnits: OrgUnitRecord;
  employees: EmployeeRecord;
}

/** The directory with one org unit's (renamed, moved) or employee's record changed (transferred, left, given a manager). */
function withRecord<F extends keyof RecordOf>(
  // The intersection lets TypeScript give `change` the record type of the map named by `records`.
  state: ActiveDirectory & Record<F, Record<string, RecordOf[F]>>,
  records: F,
  id: string,
  change: (record: RecordOf[F]) => RecordOf[F],
): ActiveDirectory {
  const kept = state[records];
  return { ...state, [records]: { ...kept, [id]: change(kept[id]) } };
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
      const { orgUnitId, effectiveFrom, name } = event.data;
      return withRecord(state, 'orgUnits', orgUnitId, (unit) => withDated(unit, 'name', effectiveFrom, name));
    }
    case 'OrgUnitMoved': {
      const { orgUnitId, effectiveFrom, parentId } = event.data;
      return withRecord(state, 'orgUnits', orgUnitId, (unit) =>
        withDated(unit, 'parent', effectiveFrom, parentId),
      );
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
      const { employeeId, effectiveFrom, orgUnitId } = event.data;
      return withRecord(state, 'employees', employeeId, (employee) =>
        withDated(employee, 'orgUnit', effectiveFrom, orgUnitId),
      );
    }
    case 'EmployeeLeft':
      return withRecord(state, 'employees', event.data.employeeId, (employee) => ({
        ...employee,
        leftFrom: event.data.effectiveFrom,
      }));
    case 'ManagerAssigned': {
      const { employeeId, effectiveFrom, managerId } = event.data;
      return withRecord(state, 'employees', employeeId, (employee) =>
        withDated(employee, 'manager', effectiveFrom, managerId),
      );
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
