import { jsonEvent, type JSONEventData, type JSONType } from '@kurrent/kurrentdb-client';
import { TenantMismatch, WrongExpectedRevision } from '../errors';
import type { ExpectedRevision, RecordedEvent } from '../event-store.port';
import { contentHash, linkHash } from '../hash-chain';
import type { PreparedEvent } from '../validation';

/**
 * How far back an `any` / `stream_exists` append looks for its own first event id, to recognise a
 * retry. The server's own check for `any` only remembers recent ids in memory (DESIGN.md pitfalls).
 */
export const RETRY_LOOKBACK = 100;

/** What an append sends: always an exact stream state, so the server checks it and its idempotency holds. */
export interface AppendPlan {
  streamState: 'no_stream' | bigint;
  /** The hash of the event the first new event follows. */
  previousHash: string | null;
  /** Only `any` and `stream_exists` may be re-planned against a newer revision after a conflict. */
  retryOnConflict: boolean;
}

/**
 * Which events must be read before planning, newest first: none for `no_stream`; the event at the
 * expected revision for an exact one; the stream's last `RETRY_LOOKBACK` for `any` / `stream_exists`.
 */
export function tailToRead(
  expected: ExpectedRevision,
): { fromRevision: bigint | 'end'; maxCount: number } | null {
  if (expected === 'no_stream') return null;
  if (typeof expected === 'bigint') return { fromRevision: expected, maxCount: 1 };
  return { fromRevision: 'end', maxCount: RETRY_LOOKBACK };
}

/** `tail`: what `tailToRead` asked for, newest first (empty when the stream does not exist). */
export function planAppend(
  streamId: string,
  expected: ExpectedRevision,
  tail: readonly RecordedEvent[],
  events: readonly PreparedEvent[],
): AppendPlan {
  const last = tail[0];
  if (last && last.metadata.tenantId !== events[0].metadata.tenantId) throw new TenantMismatch(streamId);
  const hashAt = (revision: bigint) =>
    tail.find((event) => event.streamRevision === revision)?.metadata.hash ?? null;

  if (expected === 'no_stream')
    return { streamState: 'no_stream', previousHash: null, retryOnConflict: false };
  // A stale exact revision is sent as it is: the server either finds the same ids there (a retry,
  // answered with the first result) or reports the conflict with the actual revision.
  if (typeof expected === 'bigint')
    return { streamState: expected, previousHash: hashAt(expected), retryOnConflict: false };

  const retried = tail.find((event) => event.eventId === events[0].eventId);
  if (retried) {
    // Sent again at the revision it was first written after, the server answers with the first result.
    const before = retried.streamRevision - 1n;
    return before < 0n
      ? { streamState: 'no_stream', previousHash: null, retryOnConflict: false }
      : { streamState: before, previousHash: hashAt(before), retryOnConflict: false };
  }
  if (!last) {
    if (expected === 'stream_exists') throw new WrongExpectedRevision(streamId, expected, null);
    return { streamState: 'no_stream', previousHash: null, retryOnConflict: true };
  }
  return {
    streamState: last.streamRevision,
    previousHash: last.metadata.hash ?? null,
    retryOnConflict: true,
  };
}

export function firstRevision(plan: Pick<AppendPlan, 'streamState'>): bigint {
  return plan.streamState === 'no_stream' ? 0n : plan.streamState + 1n;
}

/** The events as sent: the caller's metadata plus the hash chain, linked from the plan's previous hash. */
export function chainEvents(
  streamId: string,
  events: readonly PreparedEvent[],
  plan: AppendPlan,
): JSONEventData[] {
  let previousHash = plan.previousHash;
  let revision = firstRevision(plan);
  return events.map((event) => {
    const content = contentHash({
      streamId,
      eventId: event.eventId,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
    });
    const hash = linkHash(previousHash, revision, content);
    const sent = jsonEvent({
      id: event.eventId,
      type: event.type,
      // Any JSON value; validation has already checked that it serialises and round-trips.
      data: event.data as JSONType,
      metadata: { ...event.metadata, previousHash, hash },
    });
    previousHash = hash;
    revision += 1n;
    return sent;
  });
}
