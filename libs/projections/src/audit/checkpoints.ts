import {
  START,
  StreamNotFound,
  streamName,
  type Actor,
  type EventStore,
  type RecordedEvent,
} from '@verity/event-store';
import { AGGREGATES, type AuditEvent } from '@verity/domain';
import type { CheckpointSigner } from './checkpoint-signer';
import { MerkleAccumulator, leafHash } from './merkle';

const PAGE = 1000;
export const CHECKPOINT_EVENT = 'AuditCheckpointSigned';

/** A signed checkpoint as stored in the tenant's checkpoint stream. */
export interface Checkpoint {
  eventId: string;
  revision: string;
  treeSize: number;
  rootHash: string;
  signedAt: string;
  algorithm: 'Ed25519';
  keyId: string;
  signature: string;
}

type CheckpointData = Extract<AuditEvent, { type: 'AuditCheckpointSigned' }>['data'];

/** One stream per tenant holds its checkpoints, in the tenant's log like every other event. */
export const checkpointStream = (tenantId: string) =>
  streamName(AGGREGATES.auditLog, tenantId, 'checkpoints');

export const toCheckpoint = (event: RecordedEvent): Checkpoint => {
  const data = event.data as CheckpointData;
  return { eventId: event.eventId, revision: event.streamRevision.toString(), ...data };
};

/** The tenant's checkpoints, oldest first (none: an empty list). */
export async function readCheckpoints(store: EventStore, tenantId: string): Promise<Checkpoint[]> {
  try {
    const events = await store.readStream(checkpointStream(tenantId));
    return events.filter((event) => event.type === CHECKPOINT_EVENT).map(toCheckpoint);
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

/** Every event of the tenant in log order, page by page (the tree's leaves are in this order). */
export async function* tenantLog(store: EventStore, tenantId: string): AsyncGenerator<RecordedEvent> {
  for (let after = START; ;) {
    const { events, next } = await store.readAll({ after, maxCount: PAGE, tenantId });
    if (events.length === 0) return;
    yield* events;
    after = next;
  }
}

/** The leaf hashes of the tenant's first `size` events (all when omitted), with where each event sits. */
export async function readLeaves(
  store: EventStore,
  tenantId: string,
  size = Infinity,
): Promise<{ leaves: Buffer[]; indexOf: Map<string, number> }> {
  const leaves: Buffer[] = [];
  const indexOf = new Map<string, number>();
  for await (const event of tenantLog(store, tenantId)) {
    if (leaves.length >= size) break;
    indexOf.set(event.eventId, leaves.length);
    leaves.push(leafHash(event));
  }
  return { leaves, indexOf };
}

export interface SignCheckpointInput {
  tenantId: string;
  /** The new event's id, and when and by whom it is signed (the caller's clock and credential). */
  eventId: string;
  now: Date;
  actor: Actor;
  correlationId: string;
}

/**
 * Signs the tree over the tenant's log as it stands and records it as `AuditCheckpointSigned`. When
 * nothing but checkpoints was recorded since the last one, that one is returned (`signed: false`),
 * so signing on a timer adds nothing to a quiet log. Null when the tenant has no readable event yet.
 *
 * It signs what the global read hands out (below the oldest running transaction, ADR 0005): events
 * committed a moment ago may wait for the next checkpoint, and no later event can ever sort before
 * the ones signed, so the tree only grows.
 */
export async function signCheckpoint(
  store: EventStore,
  signer: CheckpointSigner,
  input: SignCheckpointInput,
): Promise<{ checkpoint: Checkpoint; signed: boolean } | null> {
  const existing = await readCheckpoints(store, input.tenantId);
  const latest = existing.at(-1);
  const tree = new MerkleAccumulator();
  let grown = false;
  for await (const event of tenantLog(store, input.tenantId)) {
    if (latest && tree.size >= latest.treeSize && event.type !== CHECKPOINT_EVENT) grown = true;
    tree.add(leafHash(event));
  }
  if (latest && !grown) return { checkpoint: latest, signed: false };
  // Nothing readable yet: a new tenant, or its first events wait behind an older transaction.
  if (tree.size === 0) return null;
  const body = {
    tenantId: input.tenantId,
    treeSize: tree.size,
    rootHash: tree.root().toString('hex'),
    signedAt: input.now.toISOString(),
  };
  const { keyId, signature } = signer.sign(body);
  const data: CheckpointData = {
    treeSize: body.treeSize,
    rootHash: body.rootHash,
    signedAt: body.signedAt,
    algorithm: 'Ed25519',
    keyId,
    signature,
  };
  // An exact expected revision: two signers at once leave one checkpoint, the other retries later.
  const result = await store.append(
    checkpointStream(input.tenantId),
    [
      {
        eventId: input.eventId,
        type: CHECKPOINT_EVENT,
        data,
        metadata: {
          tenantId: input.tenantId,
          actor: input.actor,
          correlationId: input.correlationId,
          causationId: null,
          schemaVersion: 1,
        },
      },
    ],
    { expectedRevision: latest ? BigInt(latest.revision) : 'no_stream' },
  );
  return {
    checkpoint: { eventId: input.eventId, revision: result.nextRevision.toString(), ...data },
    signed: true,
  };
}
