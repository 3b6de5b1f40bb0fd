import { z } from 'zod';
import { CalendarDate, Id } from '../shared/primitives';
import type { CommandsOf } from '../shared/messages';
import { ORG_UNIT_KINDS } from './directory.events';

export const directoryCommandSchemas = {
  CreateTenant: z.object({ name: z.string().min(1).max(200) }),
  CreateOrgUnit: z.object({
    orgUnitId: Id,
    parentId: Id.nullable(),
    kind: z.enum(ORG_UNIT_KINDS),
    name: z.string().min(1).max(200),
    effectiveFrom: CalendarDate,
  }),
  RenameOrgUnit: z.object({ orgUnitId: Id, name: z.string().min(1).max(200), effectiveFrom: CalendarDate }),
  MoveOrgUnit: z.object({ orgUnitId: Id, parentId: Id, effectiveFrom: CalendarDate }),
  HireEmployee: z.object({
    employeeId: Id,
    orgUnitId: Id,
    managerId: Id.nullable().default(null),
    position: z.string().max(200).nullable().default(null),
    name: z.string().min(1).max(200),
    email: z.string().email().max(320).optional(),
    effectiveFrom: CalendarDate,
  }),
  TransferEmployee: z.object({ employeeId: Id, orgUnitId: Id, effectiveFrom: CalendarDate }),
  RecordEmployeeLeft: z.object({ employeeId: Id, effectiveFrom: CalendarDate }),
  AssignManager: z.object({ employeeId: Id, managerId: Id, effectiveFrom: CalendarDate }),
  AssignProcessOwner: z.object({
    employeeId: Id,
    process: Id,
    orgUnitId: Id.nullable().default(null),
    effectiveFrom: CalendarDate,
  }),
  AssignHrPartner: z.object({
    employeeId: Id,
    orgUnitId: Id.nullable().default(null),
    effectiveFrom: CalendarDate,
  }),
  /** HR asks for a person's personal data to be erased (PIPL / GDPR); an auditor must approve it. */
  RequestSubjectErasure: z.object({ employeeId: Id }),
  /** An auditor approves a pending erasure: the person's data keys are destroyed (crypto-shredding). */
  EraseSubjectData: z.object({ employeeId: Id }),
} as const;

export type DirectoryCommand = CommandsOf<typeof directoryCommandSchemas>;
export type DirectoryCommandType = DirectoryCommand['type'];
