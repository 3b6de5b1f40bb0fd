import { z } from 'zod';
import { Instant } from '../shared/primitives';
import type { EventsOf } from '../shared/messages';

const Hex32 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

/**
 * The audit log's own events (docs/adr/0075-provable-audit.md). A checkpoint is the size and root
 * of the Merkle tree over the tenant's log, signed with Ed25519 over the RFC 8785 canonical JSON
 * of `{ kind: 'verity-audit-checkpoint/1', tenantId, treeSize, rootHash, signedAt, keyId }`.
 */
export const auditEventSchemas = {
  AuditCheckpointSigned: {
    version: 1,
    schema: z.object({
      treeSize: z.number().int().min(1),
      rootHash: Hex32,
      signedAt: Instant,
      algorithm: z.literal('Ed25519'),
      keyId: z.string().regex(/^[0-9a-f]{16}$/),
      signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a base64 Ed25519 signature'),
    }),
  },
} as const;

export type AuditEvent = EventsOf<typeof auditEventSchemas>;
