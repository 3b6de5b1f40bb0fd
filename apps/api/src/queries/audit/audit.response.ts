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

/** Where a chain breaks: the stream, the event at which it shows, and what is wrong there. */
export const ChainBreakResponse = z.strictObject({
  streamId: z.string(),
  eventId: z.string(),
  revision: z.string(),
  problem: z.enum([
    'tampered',
    'missing',
    'reordered',
    'broken-link',
    'checkpoint-mismatch',
    'checkpoint-truncated',
    'checkpoint-signature',
  ]),
  treeSize: z.number().int().optional(),
  matchedUpTo: z.number().int().optional(),
});

/** The newest signed checkpoint the verification checked. */
export const CheckpointResponse = z.strictObject({
  eventId: z.string(),
  revision: z.string(),
  treeSize: z.number().int(),
  rootHash: z.string(),
  signedAt: z.string(),
  algorithm: z.literal('Ed25519'),
  keyId: z.string(),
  signature: z.string(),
});

/** The tenant's chain verification (the OpenAPI answer of GET /audit/verify). */
export const ChainReportResponse = z.strictObject({
  ok: z.boolean(),
  legacyEvents: z.number().int(),
  headHash: z.string().nullable(),
  eventsChecked: z.number().int(),
  streamsChecked: z.number().int(),
  firstBreak: ChainBreakResponse.nullable(),
  checkpointsChecked: z.number().int(),
  latestCheckpoint: CheckpointResponse.nullable(),
  verifiedAt: z.iso.datetime(),
});
