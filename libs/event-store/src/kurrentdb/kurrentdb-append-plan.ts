import { jsonEvent, type JSONEventData, type JSONType } from '@kurrent/kurrentdb-client';
import { TenantMismatch, WrongExpectedRevision } from '../errors';
import type { ExpectedRevision, RecordedEvent } from '../event-store.port';
import { contentHash, linkHash } from '../hash-chain';
import type { PreparedEvent } from '../validation';

/**
 * How far back an append looks for its own event ids, to recognise a retry (also one re-sent at a
 * newer revision after reloading). The server checks ids only after the expected revision it is
 * given, and for `any` only against recent ids it remembers (DESIGN.md pitfalls).
 */
export const RETRY_LOOKBACK = 100;

/** What an append sends: always an exact stream state, so the server checks it and its idempotency holds. */
export interface AppendPlan {
  streamState: 'no_stream' | bigint;
  /** The hash of the event the first new event follows. */
  previousHash: string | null;
  /** Some of these ids are stored already: the server must find them all where they were first written. */
  retry: boolean;
  /** Only `any` and `stream_exists` may be re-planned against a newer revision after a conflict. */
  retryOnConflict: boolean;
}

/**
 * Which events to read before planning, newest first: none for `no_stream` (the server checks its
 * ids from revision 0 itself); otherwise the last `RETRY_LOOKBACK` up to the expected revision.
 */
export function tailToRead(
  expected: ExpectedRevision,
): { fromRevision: bigint | 'end'; maxCount: number } | null {
  if (expected === 'no_stream') return null;
  return { fromRevision: typeof expected === 'bigint' ? expected : 'end', maxCount: RETRY_LOOKBACK };
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
  const at = (streamState: bigint, retry: boolean, retryOnConflict: boolean): AppendPlan =>
    streamState < 0n
      ? { streamState: 'no_stream', previousHash: null, retry, retryOnConflict }
      : { streamState, previousHash: hashAt(streamState), retry, retryOnConflict };

  if (expected === 'no_stream') return at(-1n, false, false);
  const before = revisionBeforeEarlierAppend(tail, events);
  // Sent again where it was first written, the server answers with the first result.
  if (before !== null) return at(before, true, false);
  // A stale exact revision is sent as it is, for the server to report the actual one.
  if (typeof expected === 'bigint') return at(expected, false, false);
  if (!last) {
    if (expected === 'stream_exists') throw new WrongExpectedRevision(streamId, expected, null);
    return at(-1n, false, true);
  }
  return at(last.streamRevision, false, true);
}

/** The revision just before this append's first event, if any of its ids is in the tail (-1: the stream's start). */
function revisionBeforeEarlierAppend(
  tail: readonly RecordedEvent[],
  events: readonly PreparedEvent[],
): bigint | null {
  const indexOf = new Map(events.map((event, index) => [event.eventId, index]));
  for (const stored of tail) {
    const index = indexOf.get(stored.eventId.toLowerCase());
    if (index !== undefined) return stored.streamRevision - BigInt(index) - 1n;
  }
  return null;
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
