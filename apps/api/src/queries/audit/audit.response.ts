import { z } from 'zod';

/** One line of the audit log: who, in what role, when, under which rule version (the OpenAPI answer of GET /audit). */
export const AuditEntryResponse = z.strictObject({
  tenantId: z.string(),
  position: z.string(),
  eventId: z.string(),
  streamId: z.string(),
  streamRevision: z.string(),
  type: z.string(),
  actorId: z.string().nullable(),
  actorRole: z.string(),
  /** The identity behind an anonymous rating: the auditor's eyes only (null for others). */
  anonymousActorId: z.string().nullable(),
  recordedAt: z.iso.datetime(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  ruleVersion: z.string().nullable(),
  appraisalId: z.string().nullable(),
  employeeId: z.string().nullable(),
  summaryEn: z.string(),
  summaryZh: z.string(),
});

export const AuditPageResponse = z.strictObject({ items: z.array(AuditEntryResponse) });
