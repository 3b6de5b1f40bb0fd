import type { RecordedEvent } from '@verity/event-store';

export interface ChainBreak {
  streamId: string;
  /**
   * The event at which the break shows (for `missing`: the one found where the gap is, or the
   * stream's last; for the checkpoint problems: the checkpoint's own event).
   */
  eventId: string;
  revision: string;
  /**
   * `checkpoint-mismatch`: the tree over the first `treeSize` events is not the one signed (an event
   * before it was removed, added or rehashed; `matchedUpTo` is the size of the last checkpoint that
   * still matches, so the change lies between the two). `checkpoint-truncated`: the log is shorter
   * than a signed checkpoint. `checkpoint-signature`: a checkpoint whose signature fails.
   */
  problem:
    | 'tampered'
    | 'missing'
    | 'reordered'
    | 'broken-link'
    | 'checkpoint-mismatch'
    | 'checkpoint-truncated'
    | 'checkpoint-signature';
  treeSize?: number;
  matchedUpTo?: number;
}

export interface ChainReport {
  ok: boolean;
  /** Events whose hash is of version 1 (stored before the hash covered the recorded time). */
  legacyEvents: number;
  /** The hash of the tenant's newest event (by position), when the chains hold. */
  headHash: string | null;
  eventsChecked: number;
  streamsChecked: number;
  firstBreak: ChainBreak | null;
}

/** What the store says a stream's head is (revision and hash of its last event). */
export interface StreamHead {
  revision: bigint;
  hash: string;
}

/**
 * Checks every stream's hash chain in events fed in global-position order: revisions run
 * 0,1,2,… in position order (else missing/reordered), each `previousHash` is the previous event's
 * `hash`, and `hashOf(event)` (the store's own hash function, `eventHash`) equals `hash`. The
 * first break is kept; events after it are not checked. Fed one event at a time, so a tenant's
 * whole log is checked without holding it in memory.
 */
export class ChainVerifier {
  private readonly last = new Map<
    string,
    { revision: bigint; hash: string | undefined; eventId: string; version: number }
  >();
  private checked = 0;
  private legacy = 0;
  private headHash: string | null = null;
  private firstBreak: ChainBreak | null = null;

  /** With `tenantId`, an event whose metadata names another tenant is a break (moved in from elsewhere). */
  constructor(
    private readonly hashOf: (event: RecordedEvent) => string,
    private readonly tenantId?: string,
  ) {}

  /** False once a break was found (the caller may stop feeding). */
  add(event: RecordedEvent): boolean {
    if (this.firstBreak) return false;
    this.checked += 1;
    const previous = this.last.get(event.streamId);
    const expected = previous ? previous.revision + 1n : 0n;
    const at = (problem: ChainBreak['problem'], revision = event.streamRevision): false => {
      this.firstBreak = {
        streamId: event.streamId,
        eventId: event.eventId,
        revision: revision.toString(),
        problem,
      };
      return false;
    };
    if (event.streamRevision < expected) return at('reordered');
    // A gap: the expected revision was deleted, or moved later in the log (a reordering looks the
    // same at this point); named by the revision that should be here and the event found instead.
    if (event.streamRevision > expected) return at('missing', expected);
    if ((event.metadata.previousHash ?? null) !== (previous?.hash ?? null)) return at('broken-link');
    const version = event.metadata.hashVersion ?? 1;
    // A version-1 hash does not cover the recorded time: one after a version-2 event of its stream
    // can only be a downgrade to hide a changed time.
    if (version !== 1 && version !== 2) return at('tampered');
    if (previous && version < previous.version) return at('tampered');
    if (this.tenantId !== undefined && event.metadata.tenantId !== this.tenantId) return at('tampered');
    if (this.hashOf(event) !== event.metadata.hash) return at('tampered');
    if (version === 1) this.legacy += 1;
    this.last.set(event.streamId, {
      revision: event.streamRevision,
      hash: event.metadata.hash,
      eventId: event.eventId,
      version,
    });
    this.headHash = event.metadata.hash ?? null;
    return true;
  }

  /** The revision of the last event checked in a stream (undefined: none yet). */
  lastRevisionOf(streamId: string): bigint | undefined {
    return this.last.get(streamId)?.revision;
  }

  /**
   * Compares the streams' last events with the heads the store keeps: a deleted last event
   * leaves no gap in the chain, but its stream's head still names it.
   */
  checkHeads(heads: ReadonlyMap<string, StreamHead>): void {
    for (const [streamId, head] of heads) {
      if (this.firstBreak) return;
      const last = this.last.get(streamId);
      if (!last || last.revision < head.revision)
        this.firstBreak = {
          streamId,
          eventId: last?.eventId ?? '',
          revision: ((last?.revision ?? -1n) + 1n).toString(),
          problem: 'missing',
        };
      else if (last.hash !== head.hash)
        this.firstBreak = {
          streamId,
          eventId: last.eventId,
          revision: last.revision.toString(),
          problem: 'tampered',
        };
    }
  }

  /**
   * A `missing` break whose revision does turn up elsewhere in the log was a reordering: renamed,
   * and pointed at the event that was moved.
   */
  foundElsewhere(eventId: string): void {
    if (this.firstBreak?.problem === 'missing')
      this.firstBreak = { ...this.firstBreak, eventId, problem: 'reordered' };
  }

  /** Records a break found outside the chains (the checkpoints); the first one stays. */
  breakAt(found: ChainBreak): void {
    this.firstBreak ??= found;
  }

  /** The first break, if any. */
  get break(): ChainBreak | null {
    return this.firstBreak;
  }

  report(): ChainReport {
    return {
      ok: this.firstBreak === null,
      legacyEvents: this.legacy,
      headHash: this.firstBreak ? null : this.headHash,
      eventsChecked: this.checked,
      streamsChecked: this.last.size,
      firstBreak: this.firstBreak,
    };
  }
}

/** `ChainVerifier` over events already in memory. */
export function verifyChains(
  events: readonly RecordedEvent[],
  hashOf: (event: RecordedEvent) => string,
): ChainReport {
  const verifier = new ChainVerifier(hashOf);
  for (const event of events) if (!verifier.add(event)) break;
  const gap = verifier.break;
  if (gap?.problem === 'missing') {
    const moved = events.find(
      (e) => e.streamId === gap.streamId && e.streamRevision === BigInt(gap.revision),
    );
    if (moved) verifier.foundElsewhere(moved.eventId);
  }
  return verifier.report();
}
