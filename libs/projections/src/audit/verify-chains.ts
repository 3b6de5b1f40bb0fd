import type { RecordedEvent } from '@verity/event-store';

export interface ChainBreak {
  streamId: string;
  /** The event at which the break shows (for `missing`: the one found where the gap is). */
  eventId: string;
  revision: string;
  problem: 'tampered' | 'missing' | 'reordered' | 'broken-link';
}

export interface ChainReport {
  ok: boolean;
  /** The hash of the tenant's newest event (by position), when the chains hold. */
  headHash: string | null;
  eventsChecked: number;
  firstBreak: ChainBreak | null;
}

/**
 * Checks every stream's hash chain in events given in global-position order: revisions run
 * 0,1,2,… in position order (else missing/reordered), each `previousHash` is the previous event's
 * `hash`, and `hashOf(event)` (the store's own hash function, e.g. event-store's) equals `hash`.
 * Names the first break by position.
 */
export function verifyChains(
  events: Iterable<RecordedEvent>,
  hashOf: (event: RecordedEvent) => string,
): ChainReport {
  const last = new Map<string, { revision: bigint; hash: string | undefined }>();
  let checked = 0;
  let headHash: string | null = null;
  for (const event of events) {
    checked += 1;
    const previous = last.get(event.streamId);
    const expected = previous ? previous.revision + 1n : 0n;
    const at = (problem: ChainBreak['problem']): ChainReport => ({
      ok: false,
      headHash: null,
      eventsChecked: checked,
      firstBreak: {
        streamId: event.streamId,
        eventId: event.eventId,
        revision: event.streamRevision.toString(),
        problem,
      },
    });
    if (event.streamRevision < expected) return at('reordered');
    // A gap: the expected revision was deleted, or moved later in the log (a reordering looks the
    // same at this point); named by the revision that should be here and the event found instead.
    if (event.streamRevision > expected) {
      return {
        ...at('missing'),
        firstBreak: { ...at('missing').firstBreak!, revision: expected.toString() },
      };
    }
    if ((event.metadata.previousHash ?? null) !== (previous?.hash ?? null)) return at('broken-link');
    if (hashOf(event) !== event.metadata.hash) return at('tampered');
    last.set(event.streamId, { revision: event.streamRevision, hash: event.metadata.hash });
    headHash = event.metadata.hash ?? null;
  }
  return { ok: true, headHash, eventsChecked: checked, firstBreak: null };
}
