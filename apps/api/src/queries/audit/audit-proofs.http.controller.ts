import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Param, StreamableFile } from '@nestjs/common';
import { canonicalize } from 'json-canonicalize';
import { z } from 'zod';
import {
  consistencyProof,
  inclusionProof,
  readCheckpoints,
  readLeaves,
  signCheckpoint,
  subtreeRoot,
  tenantLog,
  type Checkpoint,
  type CheckpointSigner,
} from '@verity/projections';
import type { EventStore } from '@verity/event-store';
import { STORED_EVENTS } from '../../event-store/event-store.provider';
import { CLOCK, type Clock } from '../../clock/clock';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { Problem, notFound } from '../../errors/problem';
import { ValidBody, ValidQuery } from '../../validation/zod.pipe';
import { ApiFileAnswer } from '../../openapi/file-answer';
import { AUDIT_SIGNER } from './audit-signer.provider';
import {
  BundleEventLine,
  BundleHeaderLine,
  CheckpointsResponse,
  ConsistencyProofResponse,
  InclusionProofResponse,
  PublicKeysResponse,
  SignedCheckpointResponse,
} from './audit.response';
import { ApiController, Route } from '../../openapi/route';
import { AUDITORS_AND_HR } from '../../auth/role-sets';

const TreeSize = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const ProofQuery = z.strictObject({ treeSize: TreeSize.optional() });
export const ConsistencyQuery = z.strictObject({ from: TreeSize, to: TreeSize });
export const SignCheckpointRequest = z.strictObject({});
const EventId = z.uuid();

/** Who may fetch what an auditor checks against (the checkpoints, their keys): integrators too. */
const KEY_READERS = [...AUDITORS_AND_HR, 'integrator', 'admin'] as const;

const hex = (hashes: Buffer[]) => hashes.map((hash) => hash.toString('hex'));

/**
 * Signed checkpoints of the tenant's Merkle tree and the proofs against them (docs/audit-proofs.md,
 * ADR 0075): what an auditor needs to check the log without trusting the server.
 */
@ApiController('audit')
export class AuditProofsController {
  constructor(
    @Inject(STORED_EVENTS) private readonly store: EventStore,
    @Inject(AUDIT_SIGNER) private readonly signer: CheckpointSigner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Route('GET', 'checkpoints', {
    roles: KEY_READERS,
    answer: CheckpointsResponse,
  })
  async checkpoints(@CurrentPrincipal() principal: Principal) {
    return {
      tenantId: principal.tenantId,
      items: await readCheckpoints(this.store, principal.tenantId),
      publicKeys: this.signer.publicKeys(),
    };
  }

  /** Signs the tree as it stands now (the worker also signs periodically); a quiet log gets no new one. */
  @Route('POST', 'checkpoints', { roles: ['hr', 'admin'], answer: SignedCheckpointResponse })
  async sign(
    @CurrentPrincipal() principal: Principal,
    @ValidBody(SignCheckpointRequest, {}) _body: z.output<typeof SignCheckpointRequest>,
  ) {
    const result = await signCheckpoint(this.store, this.signer, {
      tenantId: principal.tenantId,
      eventId: randomUUID(),
      now: this.clock.now(),
      actor: { id: principal.subject, role: principal.role },
      correlationId: randomUUID(),
    });
    if (!result)
      throw new Problem(409, 'nothing-to-sign', 'The log has no event to sign yet; try again shortly.');
    return result;
  }

  /**
   * The bundle an auditor verifies offline with tools/audit-verifier (docs/audit-proofs.md, "Bundle"):
   * JSON Lines, each line RFC 8785 canonical JSON: a header with the public keys, then every event of
   * the tenant's log in order, as stored (personal data as its ciphertext once encrypted). The
   * checkpoints are among the events.
   */
  @Route('GET', 'bundle', { roles: AUDITORS_AND_HR })
  @ApiFileAnswer({
    description: "The tenant's whole log for offline verification (tools/audit-verifier)",
    media: [
      {
        type: 'application/x-ndjson',
        description:
          'JSON Lines (audit-bundle.jsonl), each line RFC 8785 canonical JSON: first the header (format, tenantId, exportedAt, publicKeys), then one stored event per line in log order',
        line: z.union([BundleHeaderLine, BundleEventLine]),
      },
    ],
    headers: { 'Content-Disposition': 'attachment; filename="audit-bundle.jsonl"' },
  })
  bundle(@CurrentPrincipal() principal: Principal): StreamableFile {
    const { store, signer, clock } = this;
    async function* lines(): AsyncGenerator<string> {
      yield `${canonicalize({
        format: 'verity-audit-bundle/1',
        tenantId: principal.tenantId,
        exportedAt: clock.now().toISOString(),
        publicKeys: signer.publicKeys(),
      })}\n`;
      for await (const event of tenantLog(store, principal.tenantId))
        yield `${canonicalize({
          streamId: event.streamId,
          streamRevision: event.streamRevision.toString(),
          eventId: event.eventId,
          type: event.type,
          data: event.data,
          metadata: event.metadata,
          recordedAt: event.recordedAt.toISOString(),
        })}\n`;
    }
    return new StreamableFile(Readable.from(lines()), {
      type: 'application/x-ndjson',
      disposition: `attachment; filename="audit-bundle.jsonl"`,
    });
  }

  /** The public keys that sign (and signed) the checkpoints: anyone may fetch them. */
  @Route('GET', 'public-keys', {
    roles: KEY_READERS,
    answer: PublicKeysResponse,
  })
  publicKeys() {
    return { keys: this.signer.publicKeys() };
  }

  /** The audit path of one event up to a checkpoint (by default the newest covering it). */
  @Route('GET', 'events/:eventId/proof', { roles: AUDITORS_AND_HR, answer: InclusionProofResponse })
  async proof(
    @CurrentPrincipal() principal: Principal,
    @Param('eventId') rawEventId: string,
    @ValidQuery(ProofQuery) query: z.output<typeof ProofQuery>,
  ) {
    const eventId = EventId.safeParse(rawEventId);
    if (!eventId.success)
      throw new Problem(400, 'invalid-request', 'The path parameter eventId must be a uuid.', {
        errors: [{ path: 'eventId', rule: 'invalid_format', message: 'must be a uuid' }],
      });
    const checkpoints = await readCheckpoints(this.store, principal.tenantId);
    const { leaves, indexOf } = await readLeaves(this.store, principal.tenantId);
    const index = indexOf.get(eventId.data.toLowerCase());
    if (index === undefined) throw notFound('No such event in this tenant.');
    const checkpoint = this.checkpointFor(checkpoints, query.treeSize, index + 1, leaves.length);
    return {
      eventId: eventId.data.toLowerCase(),
      leafIndex: index,
      treeSize: checkpoint.treeSize,
      leafHash: leaves[index].toString('hex'),
      auditPath: hex(inclusionProof(leaves, index, checkpoint.treeSize)),
      rootHash: subtreeRoot(leaves, 0, checkpoint.treeSize).toString('hex'),
      checkpoint,
    };
  }

  /** That the tree of `to` leaves extends the one of `from` (both signed checkpoints): the log only grew. */
  @Route('GET', 'consistency', { roles: AUDITORS_AND_HR, answer: ConsistencyProofResponse })
  async consistency(
    @CurrentPrincipal() principal: Principal,
    @ValidQuery(ConsistencyQuery) query: z.output<typeof ConsistencyQuery>,
  ) {
    if (query.from > query.to)
      throw new Problem(400, 'invalid-request', 'from must not exceed to.', {
        errors: [{ path: 'from', rule: 'too_big', message: 'must be at most `to`' }],
      });
    const checkpoints = await readCheckpoints(this.store, principal.tenantId);
    const first = checkpoints.find((checkpoint) => checkpoint.treeSize === query.from);
    const second = checkpoints.find((checkpoint) => checkpoint.treeSize === query.to);
    if (!first || !second) throw notFound('from and to must each be the size of a signed checkpoint.');
    const { leaves } = await readLeaves(this.store, principal.tenantId, query.to);
    if (leaves.length < query.to) throw notFound('The log is shorter than the checkpoint.');
    return { from: first, to: second, proof: hex(consistencyProof(leaves, query.from, query.to)) };
  }

  private checkpointFor(
    checkpoints: Checkpoint[],
    treeSize: number | undefined,
    atLeast: number,
    available: number,
  ): Checkpoint {
    const chosen =
      treeSize === undefined
        ? checkpoints.at(-1)
        : checkpoints.find((checkpoint) => checkpoint.treeSize === treeSize);
    if (treeSize !== undefined && !chosen) throw notFound('No signed checkpoint of that tree size.');
    if (!chosen || chosen.treeSize < atLeast)
      throw new Problem(
        409,
        'not-yet-checkpointed',
        'No signed checkpoint covers this event yet; sign one first.',
      );
    if (chosen.treeSize > available) throw notFound('The log is shorter than the checkpoint.');
    return chosen;
  }
}
