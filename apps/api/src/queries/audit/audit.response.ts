import { z } from 'zod';
import { Count, listOf, Timestamp } from '../../openapi/answer-pieces';

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
  recordedAt: Timestamp,
  correlationId: z.string(),
  causationId: z.string().nullable(),
  ruleVersion: z.string().nullable(),
  appraisalId: z.string().nullable(),
  employeeId: z.string().nullable(),
  summaryEn: z.string(),
  summaryZh: z.string(),
});

export const AuditPageResponse = listOf(AuditEntryResponse);

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
  legacyEvents: Count,
  headHash: z.string().nullable(),
  eventsChecked: Count,
  streamsChecked: Count,
  firstBreak: ChainBreakResponse.nullable(),
  checkpointsChecked: Count,
  latestCheckpoint: CheckpointResponse.nullable(),
  verifiedAt: Timestamp,
});

/** A key that signs (or signed) checkpoints: the raw Ed25519 public key in base64. */
export const PublicKeyResponse = z.strictObject({
  keyId: z.string(),
  algorithm: z.literal('Ed25519'),
  publicKey: z.string(),
  /** The key signing new checkpoints; retired keys stay listed to check old ones. */
  current: z.boolean(),
});

/** GET /audit/public-keys. */
export const PublicKeysResponse = z.strictObject({ keys: z.array(PublicKeyResponse) });

/** GET /audit/checkpoints: the tenant's signed checkpoints, oldest first, and the keys to check them. */
export const CheckpointsResponse = z.strictObject({
  tenantId: z.string(),
  items: z.array(CheckpointResponse),
  publicKeys: z.array(PublicKeyResponse),
});

/** POST /audit/checkpoints: the newest checkpoint, and whether this call signed it (a quiet log gets none). */
export const SignedCheckpointResponse = z.strictObject({
  checkpoint: CheckpointResponse,
  signed: z.boolean(),
});

const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash in hex');

/** GET /audit/events/{eventId}/proof: the event's audit path up to a signed checkpoint (RFC 6962). */
export const InclusionProofResponse = z.strictObject({
  eventId: z.uuid(),
  leafIndex: z.number().int(),
  treeSize: z.number().int(),
  leafHash: Hash,
  auditPath: z.array(Hash),
  rootHash: Hash,
  checkpoint: CheckpointResponse,
});

/** GET /audit/consistency: that the tree of `to` extends the tree of `from` (RFC 6962 consistency proof). */
export const ConsistencyProofResponse = z.strictObject({
  from: CheckpointResponse,
  to: CheckpointResponse,
  proof: z.array(Hash),
});

/** The first line of GET /audit/bundle (RFC 8785 canonical JSON): what the file is and the keys to check it. */
export const BundleHeaderLine = z.strictObject({
  format: z.literal('verity-audit-bundle/1'),
  tenantId: z.string(),
  exportedAt: Timestamp,
  publicKeys: z.array(PublicKeyResponse),
});

/** Every later line of the bundle: one event of the tenant's log as stored, in log order. */
export const BundleEventLine = z.strictObject({
  streamId: z.string(),
  streamRevision: z.string(),
  eventId: z.string(),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
  recordedAt: Timestamp,
});
