import { z } from 'zod';
import { CalendarDate, Id, Instant } from '../shared/primitives';
import type { EventsOf } from '../shared/messages';

export const ORG_UNIT_KINDS = ['hq', 'branch', 'department', 'team'] as const;

/** Directory events are effective-dated: `effectiveFrom` is the calendar day the fact starts to hold. */
export const directoryEventSchemas = {
  TenantCreated: {
    version: 1,
    schema: z.object({ tenantId: Id, name: z.string().min(1).max(200), at: Instant }),
  },
  OrgUnitCreated: {
    version: 1,
    schema: z.object({
      orgUnitId: Id,
      parentId: Id.nullable(),
      kind: z.enum(ORG_UNIT_KINDS),
      name: z.string().min(1).max(200),
      effectiveFrom: CalendarDate,
    }),
  },
  OrgUnitRenamed: {
    version: 1,
    schema: z.object({ orgUnitId: Id, name: z.string().min(1).max(200), effectiveFrom: CalendarDate }),
  },
  OrgUnitMoved: {
    version: 1,
    schema: z.object({ orgUnitId: Id, parentId: Id, effectiveFrom: CalendarDate }),
  },
  EmployeeHired: {
    version: 1,
    schema: z.object({
      employeeId: Id,
      orgUnitId: Id,
      managerId: Id.nullable(),
      position: z.string().max(200).nullable(),
      effectiveFrom: CalendarDate,
      pii: z.object({ name: z.string().min(1).max(200), email: z.string().email().max(320).optional() }),
    }),
  },
  EmployeeTransferred: {
    version: 1,
    schema: z.object({ employeeId: Id, orgUnitId: Id, effectiveFrom: CalendarDate }),
  },
  EmployeeLeft: { version: 1, schema: z.object({ employeeId: Id, effectiveFrom: CalendarDate }) },
  ManagerAssigned: {
    version: 1,
    schema: z.object({ employeeId: Id, managerId: Id, effectiveFrom: CalendarDate }),
  },
  ProcessOwnerAssigned: {
    version: 1,
    schema: z.object({
      employeeId: Id,
      /** The process owned: a workflow id or a step kind. */
      process: Id,
      orgUnitId: Id.nullable(),
      effectiveFrom: CalendarDate,
    }),
  },
  HrPartnerAssigned: {
    version: 1,
    schema: z.object({
      employeeId: Id,
      /** The unit (with its sub-units) the HR partner looks after; null: the whole organisation. */
      orgUnitId: Id.nullable(),
      effectiveFrom: CalendarDate,
    }),
  },
  /** HR asked for the person's personal data to be erased; nothing is erased until an auditor approves. */
  SubjectErasureRequested: {
    version: 1,
    schema: z.object({
      employeeId: Id,
      /** The HR user who asked (a user id, as in event metadata). */
      requestedBy: Id,
      at: Instant,
    }),
  },
  /**
   * The person's data keys were destroyed: every `pii` sealed with them reads as `{ erased: true }`
   * from now on, in every stream, feed, webhook and rebuilt read model. Carries no personal data.
   */
  SubjectDataErased: {
    version: 1,
    schema: z.object({
      employeeId: Id,
      requestedBy: Id,
      /** The auditor who approved it: never the same user as `requestedBy`. */
      approvedBy: Id,
      at: Instant,
    }),
  },
} as const;

export type DirectoryEvent = EventsOf<typeof directoryEventSchemas>;
export type DirectoryEventType = DirectoryEvent['type'];
